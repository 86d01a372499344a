/**
 * Expected payouts of a scheme year's claims in the warehouse, by the compiled policy.
 * Household accounts carry their closing balance into the next year while both years'
 * policies use them, so earlier years are computed first, as far back as the chain goes.
 */
import { compensationSql, fen, type Policy } from '@ncms/rules';
import { query, type DuckDBConnection } from '@ncms/warehouse';

export type PolicyFor = (year: number) => Policy | undefined;

const isFamily = (p: Policy | undefined) => p?.outpatient?.mode === 'family_account';

/**
 * A scheme year's claims as the compensation engine reads them (rules/sql.ts
 * COMPENSATION_INPUT_COLUMNS): facility facts from the registry (unknown facility → NULL level →
 * payout 0), enrolment in the claim's year, the household's enrolled members that year.
 */
export function compensationInputSql(year: number): string {
  return `
SELECT c.claim_id, c.person_id, c.visit_type, c.discharge_date, c.total_cost, c.eligible_cost,
       f.level, f.in_county, f.designated, c.referral, c.single_disease_code,
       e.person_id IS NOT NULL AS enrolled, e.household_id, hh.members AS household_members,
       NULL::DECIMAL(18,2) AS opening_carry, c.scheme_year, c.reimbursed
FROM (SELECT * FROM claims WHERE scheme_year = ${year}) c
LEFT JOIN facilities f USING (facility_code)
LEFT JOIN (SELECT person_id, household_id FROM enrollment WHERE year = ${year}) e USING (person_id)
LEFT JOIN (SELECT household_id, count(*) AS members FROM enrollment WHERE year = ${year} GROUP BY ALL) hh
       ON hh.household_id = e.household_id`;
}

/**
 * Creates temp table `expected`: the year's compensation input (compensationInputSql) with
 * raw_fen, expected_fen and expected_payout.
 */
export async function computeExpected(conn: DuckDBConnection, year: number, policyFor: PolicyFor): Promise<void> {
  const years = new Set((await query<{ y: number }>(conn, 'SELECT DISTINCT year AS y FROM enrollment')).map((r) => r.y));
  let first = year;
  while (isFamily(policyFor(first)) && isFamily(policyFor(first - 1)) && years.has(first - 1)) first--;
  await conn.run('DROP TABLE IF EXISTS carry; CREATE TEMP TABLE carry (household_id VARCHAR, closing_fen BIGINT)');
  for (let y = first; y <= year; y++) {
    const policy = policyFor(y);
    if (!policy) throw new Error(`${y} 年没有可用的政策文件 (no policy for ${y})`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE year_claims AS
      SELECT ci.* REPLACE (CAST(k.closing_fen AS DECIMAL(18,0)) * 0.01 AS opening_carry)
      FROM (${compensationInputSql(y)}) ci LEFT JOIN carry k USING (household_id)`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE expected AS
      SELECT yc.*, x.raw_fen, x.expected_fen, x.expected_payout
      FROM year_claims yc JOIN (${compensationSql(policy, 'year_claims')}) x USING (claim_id)`);
    if (y < year && isFamily(policy)) {
      const perCapita = fen(policy.funding.family_account_per_capita ?? 0);
      await conn.run(`CREATE OR REPLACE TEMP TABLE carry AS
        SELECT household_id, coalesce(h.members, 0) * ${perCapita} + coalesce(k.closing_fen, 0) - coalesce(p.paid, 0) AS closing_fen
        FROM (SELECT household_id, count(*) AS members FROM enrollment WHERE year = ${y} GROUP BY ALL) h
        -- a household that did not enrol this year keeps its balance
        FULL JOIN carry k USING (household_id)
        LEFT JOIN (SELECT household_id, sum(expected_fen) AS paid FROM expected WHERE visit_type = 'outpatient' GROUP BY ALL) p
          USING (household_id)`);
    }
  }
  await conn.run('DROP TABLE IF EXISTS carry; DROP TABLE IF EXISTS year_claims');
}
