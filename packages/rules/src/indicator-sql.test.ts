import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch, rows, type DuckDBConnection } from '@ncms/warehouse';
import { CATEGORY, FINDING, INDICATORS, WARNING, columnSql, factsNamed, indicatorColumns, parsePolicy, policyParams, warningsSql, type IndicatorColumn } from './index.ts';

let db: Awaited<ReturnType<typeof openScratch>>;
let conn: DuckDBConnection;
beforeAll(async () => {
  db = await openScratch();
  conn = db.conn;
});
afterAll(() => db.close());

const policy = parsePolicy({
  scheme: 't',
  year: 2005,
  funding: { standards: { general: { individual: 10 } } },
  inpatient: { levels: { township: { deductible: 0, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }] } } },
  targets: { participation_rate: 0.8, max_surplus_rate: 0.1, max_cumulative_surplus_share: 0.2, deficit_warning: 100 },
});
const col = (id: string, key?: string): IndicatorColumn => indicatorColumns().find((c) => c.indicator.id === id && c.key === key)!;

/** The value of one column over a facts row written as SQL. */
async function value(c: IndicatorColumn, facts: string, withPolicy = true) {
  const p = withPolicy ? policy : undefined;
  const [r] = await rows<Record<string, unknown>>(conn, `SELECT ${columnSql(c, 'f', policyParams(p), p !== undefined)} FROM (SELECT ${facts}) f`);
  return r![c.column];
}

describe('the catalogue as SQL', () => {
  it('takes ratios after the sums, money to the fen half up, and empties a zero denominator', async () => {
    expect(await value(col('participation_rate'), '3 AS enrollees, 4 AS agricultural_population')).toBe(0.75);
    expect(await value(col('participation_rate'), '3 AS enrollees, 0 AS agricultural_population')).toBeNull();
    // 1000.00 ÷ 3 = 333.333… → 333.33; 1000.01 ÷ 6 = 166.668… → 166.67 (exact, on fen)
    expect(await value(col('avg_inpatient_cost'), '1000.00::DECIMAL(18,2) AS inpatient_cost, 3 AS inpatient_stays')).toBe('333.33');
    expect(await value(col('avg_inpatient_cost'), '1000.01::DECIMAL(18,2) AS inpatient_cost, 6 AS inpatient_stays')).toBe('166.67');
    expect(await value(col('avg_inpatient_cost'), '0.05::DECIMAL(18,2) AS inpatient_cost, 2 AS inpatient_stays')).toBe('0.03');
  });

  it('computes the gap to the target exactly, and leaves policy-bound figures empty without a policy', async () => {
    // ⌈0.8 × 7⌉ − 3 = 6 − 3
    expect(await value(col('gap_to_target'), '7 AS agricultural_population, 3 AS enrollees')).toBe(3);
    expect(await value(col('gap_to_target'), '7 AS agricultural_population, 3 AS enrollees', false)).toBeNull();
    expect(await value(col('collection_gap', 'central'), '5.00::DECIMAL(18,2) AS expected_central, 2.50::DECIMAL(18,2) AS funds_central')).toBe('2.50');
  });

  it('raises each warning exactly at its limit, and none whose inputs are empty', async () => {
    const w = async (facts: string) => {
      const [r] = await rows<{ w: string[] | null }>(conn, `SELECT ${warningsSql('f', policyParams(policy))} AS w FROM (SELECT ${facts}) f`);
      return r!.w;
    };
    const fund = (funds: string, payouts: string, extra = '0 AS opening_balance, 0 AS income_all_to_date, 0 AS payouts_total_to_date') =>
      `${funds}::DECIMAL(18,2) AS funds_raised, ${payouts}::DECIMAL(18,2) AS payouts_total, 12 AS months, ${extra}`;
    // surplus exactly 10 % is within the limit; 10.01 % is not (compared on the decimals, not on a float)
    expect(await w(fund('1000.00', '900.00'))).toBeNull();
    expect(await w(fund('1000.00', '899.90'))).toEqual(['surplus_high']);
    expect(await w(fund('1000.00', '1000.01'))).toEqual(['surplus_negative']);
    // projected year-end −101 is beyond the 100 warning line; −100 is on it
    expect(await w(fund('1000.00', '1100.00'))).toEqual(['surplus_negative']);
    expect(await w(fund('1000.00', '1101.00'))).toEqual(['surplus_negative', 'projected_deficit']);
    // cumulative surplus 201 of 1000 raised is above 20 %
    expect(await w(fund('1000.00', '950.00', '0 AS opening_balance, 1201 AS income_all_to_date, 1000 AS payouts_total_to_date'))).toEqual(['cumulative_high']);
    // no funds at all: no rate to judge, no warning
    expect(await w(fund('0', '0', 'NULL AS opening_balance, NULL AS income_all_to_date, NULL AS payouts_total_to_date'))).toBeNull();
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
});
