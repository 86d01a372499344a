/**
 * A read asks whether the analytics tables are stale before it answers. That question is told
 * from the load generations and the policies (O(1): no core row read), and every path that
 * changes what the tables are computed from moves the answer; the row-level fingerprint stays
 * behind `verify`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateCounty, POLICY_DIR } from '@ncms/sample-county';
import { rows } from '@ncms/warehouse';
import { parsePolicy, type Policy } from '@ncms/rules';
import { loadCounty, type LoadedCounty } from '../test-support/loaded-county.ts';
import { readPolicyFolder, syncPolicies, policyHash } from './policy-store.ts';
import { planRefresh, refreshOn } from './refresh.ts';

let county: LoadedCounty;
let policies: Policy[];
const CORE = ['census', 'facilities', 'enrollment', 'claims', 'ledger'];

beforeAll(async () => {
  policies = (await readPolicyFolder(POLICY_DIR))!.map((p) => p.policy);
  county = await loadCounty({});
  await generateCounty({ out: join(county.dir, 'sample'), scale: 0.02, seed: 5 });
  const { ingest } = await import('@ncms/pipelines');
  await ingest(county.conn, join(county.dir, 'sample'));
  await county.refresh(policies);
});
afterAll(() => county?.cleanup());

const plan = (opts: { verify?: boolean; openingBalance?: string } = {}) => planRefresh(county.conn, opts);

/** One CSV line of `values` (no field here holds a comma or a quote). */
const csv = (header: string[], values: unknown[][]) => `${header.join(',')}\n${values.map((v) => v.join(',')).join('\n')}\n`;

/** Makes every core table unreadable: any query that reads one of them fails. */
async function hideCoreRows(): Promise<() => Promise<void>> {
  for (const t of CORE)
    await county.conn.run(`ALTER TABLE ${t} RENAME TO hidden_${t}; CREATE VIEW ${t} AS SELECT * FROM hidden_${t} WHERE error('core table ${t} was read') IS NULL`);
  return async () => {
    for (const t of CORE) await county.conn.run(`DROP VIEW ${t}; ALTER TABLE hidden_${t} RENAME TO ${t}`);
  };
}

describe('staleness for reads', () => {
  it('is decided without reading a core row once a refresh has brought every year up to date', async () => {
    expect(await plan()).toMatchObject({ by: 'stamp', stale: [], removed: [] });
    const restore = await hideCoreRows();
    try {
      // The check a read makes touches none of them …
      expect(await plan()).toMatchObject({ by: 'stamp', stale: [] });
      expect((await refreshOn(county.conn)).refreshed).toEqual([]);
      // … while the row-level fingerprint reads them all.
      await expect(plan({ verify: true })).rejects.toThrow(/core table \w+ was read/);
    } finally {
      await restore();
    }
  });

  it('leaves a change made behind the loader to --verify, which finds and rebuilds the year', async () => {
    const [c] = await rows<{ claim_id: string }>(county.conn, `SELECT claim_id FROM claims WHERE scheme_year = 2005 ORDER BY claim_id LIMIT 1`);
    // A row changed in place, its row hash with it (as a load would have set it).
    await county.conn.run(`UPDATE claims SET reimbursed = reimbursed + 1, row_hash = xor(row_hash, 1) WHERE claim_id = $1`, [c!.claim_id]);
    try {
      expect(await plan()).toMatchObject({ by: 'stamp', stale: [] });
      const verified = await plan({ verify: true });
      expect(verified.by).toBe('rows');
      expect(verified.stale.map((s) => s.year)).toEqual([2005, 2006]);
      expect((await refreshOn(county.conn, { verify: true })).refreshed).toEqual([2005, 2006]);
      expect(await plan()).toMatchObject({ by: 'stamp', stale: [] });
    } finally {
      await county.conn.run(`UPDATE claims SET reimbursed = reimbursed - 1, row_hash = xor(row_hash, 1) WHERE claim_id = $1`, [c!.claim_id]);
      await refreshOn(county.conn, { verify: true });
    }
  });

  it('turns stale after a load that changes rows of any core table, and after a policy or opening-balance change', async () => {
    const [census] = await rows<Record<string, string>>(
      county.conn,
      `SELECT year, division_code, township_name, village_name, households, population + 1 AS population, agricultural_population, per_capita_net_income::VARCHAR AS per_capita_net_income
       FROM census WHERE year = 2005 ORDER BY division_code LIMIT 1`,
    );
    const [facility] = await rows<Record<string, string>>(
      county.conn,
      `SELECT facility_code, facility_name || '（新址）' AS facility_name, CASE WHEN in_county THEN '是' ELSE '否' END AS in_county FROM facilities ORDER BY facility_code LIMIT 1`,
    );
    const [enrolee] = await rows<Record<string, string>>(
      county.conn,
      `SELECT year, person_id, name, household_id, division_code, category, (individual_paid + 1)::VARCHAR AS individual_paid, subsidy_paid::VARCHAR AS subsidy_paid, receipt_no, enrolled_on::VARCHAR AS enrolled_on
       FROM enrollment WHERE year = 2004 ORDER BY person_id LIMIT 1`,
    );
    const [claim] = await rows<{ claim_id: string; person_id: string; facility_code: string }>(
      county.conn,
      `SELECT claim_id, person_id, facility_code FROM claims WHERE scheme_year = 2006 AND visit_type = 'outpatient' ORDER BY claim_id LIMIT 1`,
    );
    const loads: [string, Record<string, string>, number[]][] = [
      ['census', { 'census/c.csv': csv(Object.keys(census!), [Object.values(census!)]) }, [2005, 2006]],
      ['facilities', { 'facilities/f.csv': csv(Object.keys(facility!), [Object.values(facility!)]) }, [2004, 2005, 2006]],
      ['enrollment', { 'enrollment/e.csv': csv(Object.keys(enrolee!), [Object.values(enrolee!)]) }, [2004, 2005, 2006]],
      [
        // a correction that moves a 2006 claim into 2005 (its dates were wrong)
        'claims',
        { 'his/h.csv': csv(['claim_id', 'person_id', 'facility_code', 'visit_type', 'admission_date', 'discharge_date', 'total_cost', 'eligible_cost', 'reimbursed'], [[claim!.claim_id, claim!.person_id, claim!.facility_code, '门诊', '2005-07-01', '', '50.00', '50.00', '10.00']]) },
        [2005, 2006],
      ],
      ['ledger', { 'ledger/l.csv': 'entry_id,date,year,direction,category,amount,division_code\nST-1,2006-03-30,2006,收入,利息,12.34,\n' }, [2006]],
    ];
    for (const [kind, files, years] of loads) {
      const before = await rows<{ n: number }>(county.conn, `SELECT count(*) AS n FROM batches WHERE status = 'loaded'`);
      await county.load(files);
      const after = await rows<{ n: number }>(county.conn, `SELECT count(*) AS n FROM batches WHERE status = 'loaded'`);
      expect(after[0]!.n, `${kind}: the file loaded`).toBe(before[0]!.n + 1);
      if (kind === 'claims') {
        // the batch is the generation of both years the moved claim belongs to, before and after
        const moved = await rows<{ year: number }>(
          county.conn,
          `SELECT year FROM core_generations WHERE kind = 'claims' AND generation = (SELECT max(batch_id) FROM batches WHERE status = 'loaded') ORDER BY year`,
        );
        expect(moved.map((m) => m.year)).toEqual([2005, 2006]);
      }
      const p = await plan();
      expect(p.by, kind).toBe('rows');
      expect(p.stale.map((s) => s.year), kind).toEqual(years);
      expect(await county.refresh(policies), kind).toEqual(years);
      expect(await plan(), kind).toMatchObject({ by: 'stamp', stale: [] });
    }
    // The same rows again (a file written with other line ends): nothing changed, still no row read.
    await county.load({ 'ledger/l-again.csv': 'entry_id,date,year,direction,category,amount,division_code\r\nST-1,2006-03-30,2006,收入,利息,12.34,\r\n' });
    expect(await plan()).toMatchObject({ by: 'stamp', stale: [] });

    const p2006 = policies.find((p) => p.year === 2006)!;
    const changed = policies.map((p) => (p === p2006 ? parsePolicy({ ...p2006, targets: { ...p2006.targets, max_surplus_rate: 0.07 } }) : p));
    await syncPolicies(county.conn, changed.map((p) => ({ path: `${p.year}.json`, hash: policyHash(p), policy: p })));
    expect((await plan()).stale.map((s) => s.year)).toEqual([2006]);
    expect(await county.refresh(policies)).toEqual([]);
    expect((await plan({ openingBalance: '1000' })).stale.map((s) => s.year)).toEqual([2004, 2005, 2006]);
  });
});
