/**
 * The rules on one scheme year of a loaded county, in one process:
 *   floor (a)  SELECT sum(eligible_cost) — one scan
 *   floor (b)  the running sum per person ordered by date and claim_id, materialised —
 *              the unavoidable work of annual caps
 *   SQL        the policy compiled by @ncms/rules, materialised
 *   TS         the TypeScript engine over the same claims (rows fetched first, loop timed)
 * Prints one JSON line.
 */
import { readFile } from 'node:fs/promises';
import { openWarehouse, query } from '@ncms/warehouse';
import { compensate, compensationSql, parsePolicy, type Claim } from '@ncms/rules';
import { censusYearFor, policyModels, runModels, yearVars } from '@ncms/analytics';

const [db, year, policyPath, threads, memory] = process.argv.slice(2) as [string, string, string, string, string];
const wh = await openWarehouse(db, { threads: Number(threads), memoryLimit: memory });
const policy = parsePolicy(JSON.parse(await readFile(policyPath, 'utf8')));
const result = await wh.write(async (c) => {
  const time = async (sql: string) => {
    const t = performance.now();
    await c.run(sql);
    return (performance.now() - t) / 1000;
  };
  // The year's claims as the compensation engine reads them (the analytics models' attribution).
  const y = Number(year);
  const run = await runModels(c, { want: ['int_claims_attributed', 'int_enrollees'], vars: yearVars(y, await censusYearFor(c, y), policy), code: policyModels(policy) });
  await c.run(`CREATE TEMP TABLE y_claims AS
    SELECT a.*, h.household_members, NULL::DECIMAL(18,2) AS opening_carry
    FROM ${run.relation('int_claims_attributed')} a
    LEFT JOIN (SELECT household_id, count(*) AS household_members FROM ${run.relation('int_enrollees')} GROUP BY ALL) h USING (household_id)`);
  await run.drop();
  const [{ n }] = (await query<{ n: number }>(c, 'SELECT count(*) n FROM y_claims')) as [{ n: number }];
  /** Best of three: the machines are shared and noisy. */
  const best = async (sql: string) => {
    const xs: number[] = [];
    for (let i = 0; i < 3; i++) xs.push(await time(sql));
    return Math.min(...xs);
  };
  const scan = await best('SELECT sum(eligible_cost) FROM y_claims');
  const windowed = await best(`CREATE OR REPLACE TEMP TABLE floor_b AS
    SELECT claim_id, sum(eligible_cost) OVER (PARTITION BY person_id ORDER BY discharge_date, claim_id ROWS UNBOUNDED PRECEDING) AS s FROM y_claims`);
  const sql = await best(`CREATE OR REPLACE TEMP TABLE expected AS ${compensationSql(policy, 'y_claims')}`);
  const rows = await query<Record<string, unknown>>(c, `SELECT claim_id, person_id, visit_type, discharge_date::VARCHAR AS discharge_date,
    total_cost::VARCHAR AS total_cost, eligible_cost::VARCHAR AS eligible_cost, level, in_county, designated, referral, single_disease_code,
    enrolled, household_id, household_members FROM y_claims`);
  const claims = rows as unknown as Claim[];
  const t = performance.now();
  const ts = compensate(policy, claims);
  const tsSeconds = (performance.now() - t) / 1000;
  // The two executions must agree on the whole year, not only in the property test.
  const sqlTotal = (await query<{ s: string }>(c, 'SELECT sum(expected_fen)::VARCHAR s FROM expected'))[0]!.s;
  const tsTotal = [...ts.values()].reduce((a, b) => a + b, 0n).toString();
  return { claims: n, scan, windowed, sql, ts: tsSeconds, agree: sqlTotal === tsTotal, sqlTotal, tsTotal };
});
wh.close();
console.log(JSON.stringify(result));
