import { describe, expect, it } from 'vitest';
import { rows } from '@ncms/warehouse';
import { useScratch } from './test-support/scratch.ts';
import { CATEGORY, FINDING, INDICATORS, WARNING, columnSql, factsNamed, indicatorColumns, parsePolicy, policyParams, sqlTypeOfColumn, unitOf, warningsSql, type IndicatorColumn } from './index.ts';

const db = useScratch();

const policy = parsePolicy({
  scheme: 't',
  year: 2005,
  funding: { standards: { general: { individual: 10 } } },
  inpatient: { levels: { township: { deductible: 0, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }] } } },
  targets: { participation_rate: 0.8, max_surplus_rate: 0.1, max_cumulative_surplus_share: 0.2, max_cumulative_surplus_months: 4, deficit_warning: 100 },
});
const col = (id: string, key?: string): IndicatorColumn => indicatorColumns().find((c) => c.indicator.id === id && c.key === key)!;

/** The value of one column over a facts row written as SQL (a county's row unless it says its level). */
async function value(c: IndicatorColumn, facts: string, withPolicy = true) {
  const p = withPolicy ? policy : undefined;
  const row = /\bAS level\b/.test(facts) ? facts : `'county' AS level, ${facts}`;
  const [r] = await rows<Record<string, unknown>>(db.conn, `SELECT ${columnSql(c, 'f', policyParams(p), p !== undefined)} FROM (SELECT ${row}) f`);
  return r![c.column];
}

describe('the catalogue as SQL', () => {
  it('takes ratios after the sums, money to the fen half up, and empties a zero denominator', async () => {
    expect(await value(col('participation_rate'), '3 AS census_enrollees, 4 AS agricultural_population')).toBe(0.75);
    expect(await value(col('participation_rate'), '3 AS census_enrollees, 0 AS agricultural_population')).toBeNull();
    // 1000.00 ÷ 3 = 333.333… → 333.33; 1000.01 ÷ 6 = 166.668… → 166.67 (exact, on fen)
    expect(await value(col('avg_inpatient_cost'), '1000.00::DECIMAL(18,2) AS inpatient_cost, 3 AS inpatient_stays')).toBe('333.33');
    expect(await value(col('avg_inpatient_cost'), '1000.01::DECIMAL(18,2) AS inpatient_cost, 6 AS inpatient_stays')).toBe('166.67');
    expect(await value(col('avg_inpatient_cost'), '0.05::DECIMAL(18,2) AS inpatient_cost, 2 AS inpatient_stays')).toBe('0.03');
  });

  it('computes the gap to the target exactly, and leaves policy-bound figures empty without a policy', async () => {
    // ⌈0.8 × 7⌉ − 3 = 6 − 3
    expect(await value(col('gap_to_target'), '7 AS agricultural_population, 3 AS census_enrollees')).toBe(3);
    expect(await value(col('gap_to_target'), '7 AS agricultural_population, 3 AS census_enrollees', false)).toBeNull();
    expect(await value(col('collection_gap', 'central'), '5.00::DECIMAL(18,2) AS expected_central, 2.50::DECIMAL(18,2) AS funds_central')).toBe('2.50');
  });

  it('gives a unit its share of the pool by enrolees, to the fen, and leaves the pool\'s own figures to the county', async () => {
    const pool = `'township' AS level, 1000.00::DECIMAL(18,2) AS county_pooled_funds, 3 AS county_enrollees, 1 AS enrollees,
      200.00::DECIMAL(18,2) AS pooled_payouts, 500.00::DECIMAL(18,2) AS funds_raised, 0 AS family_account_funds, 0 AS family_account_returned`;
    // 1000 × 1 ÷ 3 = 333.333… → 333.33; used 200 of it
    expect(await value(col('allocated_funds'), pool)).toBe('333.33');
    expect(await value(col('allocated_utilization'), pool)).toBeCloseTo(200 / 333.33, 12);
    expect(await value(col('funds_raised'), pool)).toBeNull();
    expect(await value(col('fund_utilization'), pool)).toBeNull();
    // 2 of 3 enrolees: 666.666… → 666.67 (half up)
    expect(await value(col('allocated_funds'), pool.replace('1 AS enrollees', '2 AS enrollees'))).toBe('666.67');
    expect(await value(col('funds_raised'), pool.replace("'township'", "'county'"))).toBe('500.00');
  });

  it('raises each warning exactly at its limit, on the pool, and none whose inputs are empty', async () => {
    const w = async (facts: string) => {
      const [r] = await rows<{ w: string[] | null }>(db.conn, `SELECT ${warningsSql('f', policyParams(policy))} AS w FROM (SELECT ${facts}) f`);
      return r!.w;
    };
    const toDate = (opening: number | string, income: number | string, pooled: number | string) =>
      `${opening} AS opening_balance, ${income} AS income_all_to_date, 0 AS family_account_funds_to_date, 0 AS family_account_returned_to_date, ${pooled} AS pooled_payouts_to_date`;
    const fund = (funds: string, payouts: string, extra = toDate(0, 0, 0), months = 12) =>
      `${funds}::DECIMAL(18,2) AS funds_raised, 0 AS family_account_funds, 0 AS family_account_returned, ${payouts}::DECIMAL(18,2) AS pooled_payouts, ${months} AS months, ${extra}`;
    // surplus exactly 10 % is within the limit; 10.01 % is not (compared on the decimals, not on a float)
    expect(await w(fund('1000.00', '900.00'))).toBeNull();
    expect(await w(fund('1000.00', '899.90'))).toEqual(['surplus_high']);
    expect(await w(fund('1000.00', '1000.01'))).toEqual(['surplus_negative']);
    // projected year-end −101 is beyond the 100 warning line; −100 is on it
    expect(await w(fund('1000.00', '1100.00'))).toEqual(['surplus_negative']);
    expect(await w(fund('1000.00', '1101.00'))).toEqual(['surplus_negative', 'projected_deficit']);
    // cumulative surplus 201 of 1000 raised is above 20 %
    expect(await w(fund('1000.00', '950.00', toDate(0, 1201, 1000)))).toEqual(['cumulative_high']);
    // or in months: 200 ÷ (45 ÷ 12 a month) = 53.3 months > 4, although 200 is 20 % of 1000 exactly
    expect(await w(fund('1000.00', '45.00', toDate(0, 245, 45)))).toEqual(['surplus_high', 'cumulative_high']);
    // the same in June: the year-long limits wait for December (m = 12); the projection does not
    expect(await w(fund('1000.00', '45.00', toDate(0, 245, 45), 6))).toBeNull();
    expect(await w(fund('1000.00', '600.00', toDate(0, 1000, 600), 6))).toEqual(['projected_deficit']);
    // household accounts are not the pool's: 1000 raised, 100 of it for the accounts, 900 paid from the pool → 0 % surplus
    expect(await w(fund('1000.00', '900.00').replace('0 AS family_account_funds', '100 AS family_account_funds'))).toBeNull();
    expect(await w(fund('1000.00', '900.01').replace('0 AS family_account_funds', '100 AS family_account_funds'))).toEqual(['surplus_negative']);
    // no funds at all: no rate to judge, no warning
    expect(await w(fund('0', '0', toDate('NULL', 'NULL', 'NULL')))).toBeNull();
  });
});

describe('the catalogue as data', () => {
  it('has unique ids, names every fact it reads, and gives every warning and finding a Chinese label', () => {
    expect(new Set(INDICATORS.map((i) => i.id)).size).toBe(INDICATORS.length);
    for (const i of INDICATORS) {
      expect(i.zh, i.id).toMatch(/\p{Script=Han}/u);
      if (!i.computedBy && !i.perClaim && i.id !== 'warnings') expect(i.value !== undefined || (i.numerator !== undefined && i.denominator !== undefined), i.id).toBe(true);
    }
    expect(factsNamed().size).toBeGreaterThan(30);
    for (const v of [WARNING, FINDING, CATEGORY]) for (const t of v.terms) expect(t.zh, t.code).toMatch(/\p{Script=Han}/u);
    expect(CATEGORY.spellings().wubao).toEqual(['wubao', '五保', '五保户']);
  });

  it('gives each column its own unit and a type that keeps it: ratios are not cut to integers, a range of money is money', () => {
    const indicator = (id: string) => INDICATORS.find((i) => i.id === id)!;
    const unit = (id: string, key?: string) => unitOf(indicator(id), key);
    expect([unit('stays_per_person'), sqlTypeOfColumn({ indicator: indicator('stays_per_person') })]).toEqual(['ratio', 'DOUBLE']);
    expect(unit('township_gini', 'participation_rate')).toBe('ratio');
    expect(unit('concentration_index')).toBe('ratio');
    expect(unit('township_range', 'participation_rate_range')).toBe('rate');
    expect(unit('township_range', 'participation_rate_ratio')).toBe('ratio');
    expect([unit('township_range', 'payout_per_enrollee_range'), sqlTypeOfColumn({ indicator: indicator('township_range'), key: 'payout_per_enrollee_range' })]).toEqual(['yuan', 'DECIMAL(18,2)']);
    expect(unit('payout_by_level', 'county_stays')).toBe('count');
  });
});
