/**
 * The analytics tables against an independent computation from the core tables, on a generated
 * county: equal after the first refresh and after every kind of later change, and rebuilt only
 * for the years a change reaches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateCounty, POLICY_DIR } from '@ncms/sample-county';
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import { parsePolicy } from '@ncms/rules';
import { loadCounty, type LoadedCounty } from '../test-support/loaded-county.ts';
import { readPolicyFolder } from './policy-store.ts';
import { ANALYTICS_TABLES } from './refresh.ts';
import { YEAR_OUTPUTS, type YearOutput } from '../evaluate/year.ts';
import { computeFresh } from '../evaluate/fresh.ts';
import { policyBook } from './policy-store.ts';
import { readIndicators } from '../query/indicators.ts';

let county: LoadedCounty;
const YEARS = [2004, 2005, 2006];
let policies: Awaited<ReturnType<typeof readPolicyFolder>>;

beforeAll(async () => {
  policies = (await readPolicyFolder(POLICY_DIR))!;
  county = await loadCounty({});
  await generateCounty({ out: join(county.dir, 'sample'), scale: 0.03, seed: 3 });
  const { ingest } = await import('@ncms/pipelines');
  await ingest(county.conn, join(county.dir, 'sample'));
  await county.refresh(policies.map((p) => p.policy));
});
afterAll(() => county?.cleanup());

/** Rows of `a` not in `b` and of `b` not in `a` (exact, every column). */
async function differences(conn: DuckDBConnection, a: string, b: string): Promise<number> {
  const [r] = await rows<{ n: number }>(conn, `SELECT (SELECT count(*) FROM (FROM ${a} EXCEPT ALL FROM ${b})) + (SELECT count(*) FROM (FROM ${b} EXCEPT ALL FROM ${a})) AS n`);
  return r!.n;
}

/** Every analytics table of every year against the year computed from scratch. */
async function compareWithFresh(conn: DuckDBConnection): Promise<Record<string, number>> {
  const book = policyBook(policies!.map((p) => p.policy));
  const out: Record<string, number> = {};
  for (const year of YEARS) {
    const fresh = await computeFresh(conn, year, (y) => book.forYear(y)?.policy, '0');
    try {
      for (const o of YEAR_OUTPUTS) {
        // The analytics tables hold the columns of every year's policy; a year compares its own,
        // and the other years' policy columns must be empty in it.
        const own = (await rows<{ c: string }>(conn, `SELECT column_name AS c FROM (DESCRIBE SELECT * FROM ${fresh.tables[o]})`)).map((r) => `"${r.c}"`);
        const others = (await rows<{ c: string }>(conn, `SELECT column_name AS c FROM (DESCRIBE SELECT * FROM ${ANALYTICS_TABLES[o]})`)).map((r) => `"${r.c}"`).filter((c) => !own.includes(c));
        const prepared = `(SELECT ${own.join(', ')} FROM ${ANALYTICS_TABLES[o]} WHERE year = ${year})`;
        out[`${year} ${o}`] = await differences(conn, prepared, `(SELECT * FROM ${fresh.tables[o]})`);
        if (others.length) {
          const [filled] = await rows<{ n: number }>(conn, `SELECT count(*) AS n FROM ${ANALYTICS_TABLES[o]} WHERE year = ${year} AND (${others.map((c) => `${c} IS NOT NULL`).join(' OR ')})`);
          out[`${year} ${o}`] = out[`${year} ${o}`]! + filled!.n;
        }
        const [{ n }] = (await rows<{ n: number }>(conn, `SELECT count(*) AS n FROM ${fresh.tables[o as YearOutput]}`)) as [{ n: number }];
        if (o === 'indicators' || o === 'facts' || o === 'periods') expect(n, `${year} ${o} has rows`).toBeGreaterThan(0);
      }
    } finally {
      await fresh.drop();
    }
  }
  return out;
}

const zero = () => Object.fromEntries(YEARS.flatMap((y) => YEAR_OUTPUTS.map((o) => [`${y} ${o}`, 0])));

async function refreshedAt(conn: DuckDBConnection): Promise<Record<number, string>> {
  const r = await rows<{ year: number; at: string }>(conn, `SELECT year, refreshed_at::VARCHAR AS at FROM derived_refresh WHERE table_name = 'analytics_year' ORDER BY year`);
  return Object.fromEntries(r.map((x) => [x.year, x.at]));
}

describe('the analytics tables', () => {
  it('equal a computation from the core tables for every table, grain and year', async () => {
    expect(await compareWithFresh(county.conn)).toEqual(zero());
    const grains = await rows<{ level: string; n: number }>(county.conn, `SELECT level, count(*) AS n FROM analytics_year WHERE year = 2006 GROUP BY level ORDER BY level`);
    expect(grains.map((g) => g.level)).toEqual(['county', 'township', 'village']);
  });

  it('record for each year its as-of time, the batches it reflects and the census and policy used', async () => {
    const r = await rows<{ table_name: string; year: number; batches: number[]; census_year: number; policy_year: number }>(
      county.conn,
      `SELECT table_name, year, batches, census_year, policy_year FROM derived_refresh ORDER BY table_name, year`,
    );
    expect(new Set(r.map((x) => x.table_name))).toEqual(new Set(Object.values(ANALYTICS_TABLES)));
    const y2006 = r.find((x) => x.table_name === 'analytics_year' && x.year === 2006)!;
    expect(y2006).toMatchObject({ census_year: 2006, policy_year: 2006 });
    const loaded = (await rows<{ id: number }>(county.conn, `SELECT batch_id AS id FROM batches WHERE status = 'loaded' ORDER BY id`)).map((b) => b.id);
    expect(y2006.batches).toEqual(loaded);
    // 2004's numbers read nothing of 2005 or 2006
    const y2004 = r.find((x) => x.table_name === 'analytics_year' && x.year === 2004)!;
    expect(y2004.batches.length).toBeLessThan(loaded.length);
  });

  it('count large payouts at each year\'s own thresholds, and name the columns after them', async () => {
    // pilot-2006.json reports at 2,000 / 4,000 / 5,000 元, pilot-2005.json at 1,000 / 2,000 / 3,000 元
    const y2006 = await readIndicators(county.conn, { year: 2006, grain: 'county', ids: ['large_payouts'] });
    const y2005 = await readIndicators(county.conn, { year: 2005, grain: 'county', ids: ['large_payouts'] });
    expect(y2006.columns.slice(4)).toEqual(['large_payouts_ge_2000', 'large_payouts_ge_4000', 'large_payouts_ge_5000', 'large_payouts_at_cap']);
    expect(y2005.columns.slice(4)).toEqual(['large_payouts_ge_1000', 'large_payouts_ge_2000', 'large_payouts_ge_3000', 'large_payouts_at_cap']);
    // cumulative: everyone at 5,000 or more is also at 4,000 or more, and counted independently of the tables
    const [n] = await rows<{ ge4000: number }>(
      county.conn,
      `SELECT count(*) FILTER (paid >= 4000) AS ge4000 FROM (
         SELECT person_id, sum(reimbursed) AS paid FROM analytics_claims WHERE year = 2006 AND enrolled AND visit_type = 'inpatient' GROUP BY person_id)`,
    );
    const row = y2006.rows[0]!;
    expect(row.large_payouts_ge_4000).toBe(n!.ge4000);
    expect(Number(row.large_payouts_ge_4000)).toBeGreaterThanOrEqual(Number(row.large_payouts_ge_5000));
  });

  it('are not rebuilt when nothing changed', async () => {
    expect(await county.refresh(policies!.map((p) => p.policy))).toEqual([]);
  });

  it('rebuild only the year a small HIS drop touches, and equal the fresh computation after it', async () => {
    const before = await refreshedAt(county.conn);
    const [claim] = await rows<{ person_id: string; facility_code: string; claim_id: string }>(
      county.conn,
      `SELECT c.person_id, c.facility_code, c.claim_id FROM claims c JOIN enrollment e ON e.year = 2006 AND e.person_id = c.person_id
       WHERE c.scheme_year = 2006 AND c.visit_type = 'inpatient' ORDER BY c.claim_id LIMIT 1`,
    );
    // One new stay and a correction of an existing one (a larger payout).
    await county.load({
      'his/his-2006-drop.csv':
        'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed,referral\n' +
        `NEW-1,${claim!.person_id},${claim!.facility_code},住院,2006-11-01,2006-11-05,3000.00,900.00,2800.00,1200.00,否\n` +
        `${claim!.claim_id},${claim!.person_id},${claim!.facility_code},住院,2006-02-01,2006-02-03,800.00,100.00,700.00,350.00,否\n`,
    });
    expect(await county.refresh(policies!.map((p) => p.policy))).toEqual([2006]);
    // Only the touched persons' claims were computed again.
    expect(county.lastModes).toEqual({ 2006: 'claims' });
    const after = await refreshedAt(county.conn);
    expect(after[2004]).toBe(before[2004]);
    expect(after[2005]).toBe(before[2005]);
    expect(after[2006]).not.toBe(before[2006]);
    expect(await compareWithFresh(county.conn)).toEqual(zero());
  });

  it('rebuild a year and every later one when an earlier year changes (sums to date, household balances)', async () => {
    await county.load({
      'ledger/extra-2004.csv': 'entry_id,date,year,direction,category,amount,division_code\nX2004-1,2004-12-30,2004,收入,利息,123.45,\n',
    });
    expect(await county.refresh(policies!.map((p) => p.policy))).toEqual([2004, 2005, 2006]);
    // New ledger entries leave every claim as it was: no claim is computed again.
    expect(county.lastModes).toEqual({ 2004: 'claims', 2005: 'claims', 2006: 'claims' });
    expect(await compareWithFresh(county.conn)).toEqual(zero());
  });

  it('compute every claim of a year again when an earlier year\'s claims change (household balances carry over)', async () => {
    const [c] = await rows<{ claim_id: string; person_id: string; facility_code: string }>(
      county.conn,
      `SELECT claim_id, person_id, facility_code FROM claims WHERE scheme_year = 2005 AND visit_type = 'outpatient' ORDER BY claim_id LIMIT 1`,
    );
    await county.load({
      'his/his-2005-fix.csv':
        'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,eligible_cost,reimbursed\n' +
        `${c!.claim_id},${c!.person_id},${c!.facility_code},门诊,2005-04-01,,60.00,60.00,12.00\n`,
    });
    expect(await county.refresh(policies!.map((p) => p.policy))).toEqual([2005, 2006]);
    expect(county.lastModes).toEqual({ 2005: 'claims', 2006: 'full' });
    expect(await compareWithFresh(county.conn)).toEqual(zero());
  });

  it('rebuild the years a changed policy applies to', async () => {
    const p2005 = policies!.find((p) => p.policy.year === 2005)!.policy;
    const changed = parsePolicy({ ...p2005, targets: { ...p2005.targets, max_surplus_rate: 0.05 } });
    const next = policies!.map((p) => (p.policy.year === 2005 ? changed : p.policy));
    // 2005 and 2006, which has no policy of its own and uses 2005's
    expect(await county.refresh(next)).toEqual([2005, 2006]);
    expect(county.lastModes).toEqual({ 2005: 'full', 2006: 'full' });
    expect(await county.refresh(policies!.map((p) => p.policy))).toEqual([2005, 2006]);
  });

  it('let readers see the old year or the new one while it is rebuilt, never half', async () => {
    const read = () =>
      rows<{ county: string; townships: string }>(
        county.conn,
        `SELECT (SELECT payouts_total FROM analytics_year WHERE year = 2006 AND level = 'county')::VARCHAR AS county,
                (SELECT sum(payouts_total) FROM analytics_year WHERE year = 2006 AND level = 'township')::VARCHAR AS townships`,
      ).then((r) => r[0]!);
    const before = await read();
    await county.load({
      'his/his-2006-drop2.csv':
        'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,eligible_cost,reimbursed\n' +
        (await rows<{ person_id: string; facility_code: string }>(county.conn, `SELECT e.person_id, 'H410523_NONE' AS facility_code FROM enrollment e WHERE year = 2006 ORDER BY person_id LIMIT 1`))
          .map((r) => `NEW-2,${r.person_id},${r.facility_code},住院,2006-06-01,2006-06-02,500.00,500.00,100.00\n`)
          .join(''),
    });
    // The refresh runs on its own connection while this one keeps reading.
    const refreshing = county.wh.write(async (conn) => {
      const { refreshOn } = await import('./refresh.ts');
      return refreshOn(conn);
    });
    const seen: { county: string; townships: string }[] = [];
    let done = false;
    void refreshing.finally(() => (done = true));
    while (!done) seen.push(await read());
    expect(seen.length).toBeGreaterThan(1);
    await refreshing;
    const after = await read();
    expect(after.county).not.toBe(before.county);
    for (const s of seen) {
      expect([before.county, after.county]).toContain(s.county);
      expect(s.townships).toBe(s.county);
    }
  });
});
