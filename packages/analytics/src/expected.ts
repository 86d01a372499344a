/**
 * Expected payouts of a scheme year's claims in the warehouse, by the compiled policy.
 * Household accounts carry their closing balance into the next year while both years'
 * policies use them, so earlier years are computed first, as far back as the chain goes.
 */
import { compensationSql, fen, type Policy } from '@ncms/rules';
import { query, type DuckDBConnection } from '@ncms/warehouse';

export type PolicyFor = (year: number) => Policy | undefined;

const isFamily = (p: Policy | undefined) => p?.outpatient?.mode === 'family_account';

/** Creates temp table `expected` (claim_id, raw_fen, expected_fen, expected_payout) for the year. */
export async function computeExpected(conn: DuckDBConnection, year: number, policyFor: PolicyFor): Promise<void> {
  const years = new Set((await query<{ y: number }>(conn, 'SELECT DISTINCT year AS y FROM enrollment')).map((r) => r.y));
  let first = year;
  while (isFamily(policyFor(first)) && isFamily(policyFor(first - 1)) && years.has(first - 1)) first--;
  await conn.run('DROP TABLE IF EXISTS carry; CREATE TEMP TABLE carry (household_id VARCHAR, closing_fen BIGINT)');
  for (let y = first; y <= year; y++) {
    const policy = policyFor(y);
    if (!policy) throw new Error(`${y} 年没有可用的政策文件 (no policy for ${y})`);
    const input = `(SELECT ci.* REPLACE (CAST(k.closing_fen AS DECIMAL(18,0)) * 0.01 AS opening_carry)
                    FROM compensation_input ci LEFT JOIN carry k USING (household_id) WHERE ci.scheme_year = ${y})`;
    await conn.run(`CREATE OR REPLACE TEMP TABLE expected AS ${compensationSql(policy, input)}`);
    if (y < year && isFamily(policy)) {
      const perCapita = fen(policy.funding.family_account_per_capita ?? 0);
      await conn.run(`CREATE OR REPLACE TEMP TABLE carry AS
        SELECT household_id, coalesce(h.members, 0) * ${perCapita} + coalesce(k.closing_fen, 0) - coalesce(p.paid, 0) AS closing_fen
        FROM (SELECT household_id, count(*) AS members FROM enrollment WHERE year = ${y} GROUP BY ALL) h
        -- a household that did not enrol this year keeps its balance
        FULL JOIN carry k USING (household_id)
        LEFT JOIN (SELECT ci.household_id, sum(e.expected_fen) AS paid FROM expected e JOIN compensation_input ci USING (claim_id)
                   WHERE ci.visit_type = 'outpatient' GROUP BY ALL) p USING (household_id)`);
    }
  }
  await conn.run('DROP TABLE IF EXISTS carry');
}
