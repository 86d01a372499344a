import { describe, expect, it } from 'vitest';
import { count, dateZh, formatValue, growth, money, moneyUnitFor, moneyWithUnit, percent, points } from './format.ts';

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
});
