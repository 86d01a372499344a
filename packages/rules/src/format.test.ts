import { describe, expect, it } from 'vitest';
import { count, dateZh, formatValue, growth, money, moneyUnitFor, moneyWithUnit, percent, points, sheetCell } from './format.ts';
import { chineseValue } from './labels.ts';

describe('numbers as a county office writes them', () => {
  it('writes money exactly, in 元 below 10,000 and 万元 from there, half up', () => {
    expect(moneyWithUnit('8432')).toBe('8,432.00 元');
    expect(moneyWithUnit('9999.99')).toBe('9,999.99 元');
    expect(moneyWithUnit('10000')).toBe('1.00 万元');
    // 1,234,567.89 元 = 123.456789 万元 → 123.46
    expect(moneyWithUnit('1234567.89')).toBe('123.46 万元');
    // 12,345 元 = 1.2345 万元 → 1.23; 12,350 → 1.235 → 1.24 (half up, on integers)
    expect(money('12345', '万元')).toBe('1.23');
    expect(money('12350', '万元')).toBe('1.24');
    expect(money('-5490.5', '元')).toBe('-5,490.50');
    expect(money(null)).toBe('—');
    expect(moneyUnitFor(['12.00', '-10000.00'])).toBe('万元');
    expect(moneyUnitFor(['9999.99', null])).toBe('元');
  });

  it('writes rates, differences of rates and growth', () => {
    expect(percent(0.85324)).toBe('85.3%');
    expect(percent(null)).toBe('—');
    expect(points(0.021)).toBe('+2.1 个百分点');
    expect(points(-0.0004)).toBe('0.0 个百分点');
    expect(growth(112.4, 100)).toBe('增长 12.4%');
    expect(growth(97, 100)).toBe('下降 3.0%');
    expect(growth(5, 0)).toBe('—');
  });

  it('writes counts, dates and any catalogue value', () => {
    expect(count(1234567)).toBe('1,234,567');
    expect(dateZh('2005-03-05')).toBe('2005年3月5日');
    expect(formatValue('1234.5', 'yuan')).toBe('1,234.50');
    expect(formatValue(0.5, 'rate')).toBe('50.0%');
    expect(formatValue(1.0456, 'ratio')).toBe('1.05');
    // indices below 1 keep three decimals (a Gini of 0.045 is not 4.5%)
    expect(formatValue(0.04541, 'ratio')).toBe('0.045');
    expect(formatValue(-0.0123, 'ratio')).toBe('-0.012');
    expect(formatValue(53.33, 'months')).toBe('53.3');
    expect(formatValue(false, 'flag')).toBe('否');
    expect(formatValue(true, 'flag')).toBe('是');
    expect(formatValue(['甲', '乙'], 'codes')).toBe('甲、乙');
    expect(formatValue(null, 'people')).toBe('—');
  });

  it('writes spreadsheet cells Excel reads as numbers, by the column\'s unit', () => {
    expect(sheetCell(0.7076722045921224, 'rate')).toBe('70.8%');
    expect(sheetCell(1, 'rate')).toBe('100.0%');
    // money: exact text, two decimals, no separators; more decimals rounded half up to the fen
    expect(sheetCell('1234.5', 'yuan')).toBe('1234.50');
    expect(sheetCell('123456789.005', 'yuan')).toBe('123456789.01');
    expect(sheetCell('-0.005', 'yuan')).toBe('-0.01');
    expect(sheetCell(12, 'yuan')).toBe('12.00');
    expect(sheetCell(533509, 'people')).toBe('533509');
    expect(sheetCell(7.306643952299829, 'days')).toBe('7.3');
    expect(sheetCell(1.101442140102851, 'ratio')).toBe('1.10');
    expect(sheetCell(null, 'rate')).toBe(null);
    expect(sheetCell('', 'yuan')).toBe('');
    expect(sheetCell(true, 'flag')).toBe(true);
  });

  it('labels a --labels zh cell by its catalogue column', () => {
    expect(chineseValue('participation_rate', 0.7607872353635066)).toBe('76.1%');
    expect(chineseValue('underpaid_amount', '2609.07')).toBe('2609.07');
    expect(chineseValue('underpaid_count', 31)).toBe('31');
    expect(chineseValue('large_payouts_ge_4000', 15)).toBe('15'); // a threshold only a policy names
    expect(chineseValue('campaign_progress', 0.038941311652361636)).toBe('3.9%'); // a series, by its indicator
    expect(chineseValue('level', 'township')).toBe('乡镇');
    expect(chineseValue('in_census', true)).toBe('是');
    expect(chineseValue('year', 2006)).toBe(2006);
    expect(chineseValue('division_code', '410523100')).toBe('410523100');
  });
});
