/** How a figure is told: expected texts worked out by hand from spec/indicators.md's rules. */
import { describe, expect, it } from 'vitest';
import { COUNTY_ONLY_TEXT, howTold, tableMoneyUnit, tellFigure, unitLine } from './telling.ts';

describe('the catalogue tells each figure', () => {
  it('carries format, kind of change, direction, where it applies and periods', () => {
    expect(howTold('participation_rate')).toMatchObject({ label: '参合率', format: 'rate', change: 'points', direction: 'up', countyOnly: false, monthly: false });
    expect(howTold('per_capita_funding')).toMatchObject({ format: 'money', change: 'growth', countyOnly: true, perHead: true });
    expect(howTold('concentration_index')).toMatchObject({ format: 'index', change: 'both' });
    expect(howTold('township_gini_participation_rate')).toMatchObject({ format: 'index', change: 'both', direction: 'down' });
    expect(howTold('township_range_participation_rate_range')).toMatchObject({ format: 'points', change: 'both' });
    expect(howTold('drug_share')).toMatchObject({ direction: 'down' });
    expect(howTold('inpatient_stays')).toMatchObject({ unitWord: '人次', monthly: true, change: 'growth' });
    expect(howTold('households').unitWord).toBe('户');
    expect(howTold('non_enrolled_claims_count').unitWord).toBe('笔');
    expect(howTold('in_county_rate').label).toBe('县域内住院率');
    expect(() => howTold('no_such_figure')).toThrow(/no_such_figure/);
  });
});

describe('tellFigure', () => {
  it('money: growth of the figure itself (per capita, not the total), in the table unit', () => {
    // 50.10 against 30.06: 50.10 / 30.06 − 1 = 0.66667 → 66.7 %
    const f = tellFigure({ column: 'per_capita_funding', value: '50.10', previous: '30.06', money: '万元' });
    expect(f.cell).toEqual({ text: '50.10', value: 50.1, kind: 'money', moneyUnit: '元' });
    expect(f.change.text).toBe('+66.7%');
    expect(f.sentence).toBe('人均筹资 50.10 元，比上年增长 66.7%');
    // 9,543,456.78 元 in 万元: 954.35; against 10,000,000: −4.565… % → 下降 4.6 %
    const t = tellFigure({ column: 'funds_raised', value: '9543456.78', previous: '10000000.00', money: '万元' });
    expect(t.cell).toEqual({ text: '954.35', value: 9543456.78, kind: 'money', moneyUnit: '万元' });
    expect(t.changeText).toBe('比上年下降 4.6%');
  });

  it('a previous value of 0 or absent gives no growth', () => {
    expect(tellFigure({ column: 'inpatient_stays', value: 12, previous: 0 }).change.text).toBe('—');
    expect(tellFigure({ column: 'inpatient_stays', value: 12 }).change.text).toBe('—');
    expect(tellFigure({ column: 'inpatient_stays', value: 12, previous: null }).changeText).toBe('');
    expect(tellFigure({ column: 'inpatient_stays', value: 12, previous: 12 }).changeText).toBe('与上年持平');
  });

  it('rates: points from unrounded values; "约" when the printed values would say otherwise', () => {
    // 0.8534 − 0.8006 = 5.28 pp → 5.3; printed 85.3 − 80.1 = 5.2 → disagree → 约
    const a = tellFigure({ column: 'participation_rate', value: 0.8534, previous: 0.8006 });
    expect(a.cell.text).toBe('85.3%');
    expect(a.previousCell.text).toBe('80.1%');
    expect(a.change.text).toBe('约+5.3 个百分点');
    expect(a.sentence).toBe('参合率 85.3%，比上年约提高 5.3 个百分点');
    // 0.9012 − 0.8500 = 5.12 → 5.1; printed 90.1 − 85.0 = 5.1 → agree
    const b = tellFigure({ column: 'participation_rate', value: 0.9012, previous: 0.85 });
    expect(b.change.text).toBe('+5.1 个百分点');
    expect(b.change.value).toBe(5.1);
    expect(tellFigure({ column: 'participation_rate', value: 0.85, previous: 0.9012 }).changeText).toBe('比上年降低 5.1 个百分点');
    // 0.8004 vs 0.8001: exact 0.03 pp → 0.0, printed 80.0 − 80.0 = 0 → 持平, never "+0.0" or "-0.0"
    expect(tellFigure({ column: 'participation_rate', value: 0.8004, previous: 0.8001 }).change.text).toBe('持平');
    // 0.80049 vs 0.79951: exact 0.098 → 0.1; printed 80.0 − 80.0 = 0 → 约
    expect(tellFigure({ column: 'participation_rate', value: 0.80049, previous: 0.79951 }).changeText).toBe('比上年约提高 0.1 个百分点');
  });

  it('indices: both values, never a growth %; a change of sign told as such', () => {
    const c = tellFigure({ column: 'concentration_index', value: 0.0041, previous: 0.0017 });
    expect(c.cell).toMatchObject({ text: '0.004', kind: 'index' });
    expect(c.change.text).toBe('由 0.002 升至 0.004');
    expect(c.sentence).toBe('补偿集中指数由 0.002 升至 0.004');
    const flip = tellFigure({ column: 'concentration_index', value: 0.012, previous: -0.008 });
    expect(flip.change.text).toBe('由 -0.008 升至 0.012，由负转正');
    expect(tellFigure({ column: 'township_gini_participation_rate', value: 0.0452, previous: 0.0449 }).change.text).toBe('持平（0.045）');
  });

  it('ranges: both values, unsigned; a range of rates in points', () => {
    const r = tellFigure({ column: 'township_range_participation_rate_range', value: 0.236, previous: 0.201 });
    expect(r.cell.text).toBe('23.6 个百分点');
    expect(r.change.text).toBe('由 20.1 个百分点 升至 23.6 个百分点');
    expect(tellFigure({ column: 'township_range_participation_rate_ratio', value: 1.314, previous: 1.25 }).change.text).toBe('由 1.25 升至 1.31');
  });

  it('money changing sign is told with both values, not a growth %', () => {
    const s = tellFigure({ column: 'projected_year_end', value: '-120000.00', previous: '350000.00', money: '万元' });
    expect(s.change.text).toBe('由 35.00 降至 -12.00，由正转负');
    expect(s.changeText).toBe('由 35.00 万元 降至 -12.00 万元，由正转负');
    // two deficits: both values, not "growth" of a negative figure
    expect(tellFigure({ column: 'projected_year_end', value: '-100000.00', previous: '-50000.00', money: '万元' }).change.text).toBe('由 -5.00 降至 -10.00');
  });

  it('county-only figures at a township say so, never 0', () => {
    const f = tellFigure({ column: 'funds_raised', value: null, previous: null, grain: 'township' });
    expect(f.cell.text).toBe(COUNTY_ONLY_TEXT);
    expect(f.cell.value).toBeNull();
    expect(f.notHere).toBe(true);
    expect(tellFigure({ column: 'funds_raised', value: '1.00', grain: 'county' }).notHere).toBe(false);
  });

  it('a year-only figure in a period report is labelled 全年; payouts are not', () => {
    expect(tellFigure({ column: 'participation_rate', value: 0.9, period: 'quarter' }).label).toBe('参合率（全年）');
    expect(tellFigure({ column: 'inpatient_stays', value: 3, period: 'month' }).label).toBe('住院人次');
  });

  it('counts with their words; an empty value is a dash', () => {
    expect(tellFigure({ column: 'non_enrolled_claims_count', value: 0 }).valueText).toBe('0 笔');
    expect(tellFigure({ column: 'non_enrolled_claims_count', value: null }).valueText).toBe('—');
    expect(tellFigure({ column: 'households', value: 45210 }).valueText).toBe('45,210 户');
  });

  it('unit lines come from the columns told', () => {
    expect(unitLine(['agricultural_population', 'households', 'participation_rate'], '元')).toBe('单位：人、户、%');
    expect(unitLine(['payouts_total', 'inpatient_stays', 'avg_inpatient_cost', 'inpatient_actual_ratio'], '万元')).toBe('单位：万元（人均、次均为元）、人次、%');
    expect(unitLine(['concentration_index'], '元')).toBe('');
    expect(tableMoneyUnit(['payouts_total', 'avg_inpatient_cost'], [['9999.99', '12000.00']])).toBe('元');
    expect(tableMoneyUnit(['payouts_total', 'avg_inpatient_cost'], [['10000.00', '12.00']])).toBe('万元');
  });
});
