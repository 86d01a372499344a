/**
 * The analytics layer on a loaded county (benchmarks.md: analytics refresh, reads from prepared
 * tables), in one process:
 *   full refresh    every analytics table of every year rebuilt (tables dropped first), best of 2
 *   fresh           the same numbers computed from the core tables without writing them (the
 *                   reference: `--fresh`, and what every read cost before the analytics tables)
 *   small drop      1,000 new settlements of the last year loaded, then the refresh, best of 2
 *   reads           each query API read against the bare DuckDB query of the same analytics table
 *                   (the floor), median of 30 each, interleaved
 * Prints one JSON line.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computeFresh, readAudit, readIndicators, readMonthly, resetAnalytics, type RefreshResult } from '@ncms/analytics';
import { ingest } from '@ncms/pipelines';
import { Platform, parsePlatformConfig } from '@ncms/platform';
import { rows } from '@ncms/warehouse';

const [db, threads, memory, policies, workDir] = process.argv.slice(2) as [string, string, string, string, string];
const platform = await Platform.open(db, parsePlatformConfig({ policies }), { threads: Number(threads), memoryLimit: memory });
const seconds = (t: number) => (performance.now() - t) / 1000;

const dropAnalytics = () => platform.wh.write(resetAnalytics);

/** A refresh with the time of each step summed over the years. */
async function timedRefresh(): Promise<{ seconds: number; result: RefreshResult; steps: Record<string, number> }> {
  const steps: Record<string, number> = {};
  const t = performance.now();
  const result = await platform.refresh(undefined, (step, ms) => (steps[step] = (steps[step] ?? 0) + ms / 1000));
  return { seconds: seconds(t), result, steps: Object.fromEntries(Object.entries(steps).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Number(v.toFixed(3))])) };
}

// Full refresh, best of two.
const fulls = [];
for (let i = 0; i < 2; i++) {
  await dropAnalytics();
  fulls.push(await timedRefresh());
}
const full = fulls.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const years = full.result.refreshed;
const last = years.at(-1)!;

// The same computed fresh from the core tables (every year up to the last: sums to date and household balances need them).
const book = await platform.policies();
let t = performance.now();
await platform.read(async (c) => (await computeFresh(c, last, (y) => book.forYear(y)?.policy, '0')).drop());
const freshSeconds = seconds(t);

// A small HIS drop: 1,000 new settlements of the last year's enrolees, then the refresh. Best of two.
const drops = [];
for (let i = 0; i < 2; i++) {
  const dir = join(workDir, `drop-${i}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'his'), { recursive: true });
  const sample = await platform.read((c) =>
    rows<Record<string, string>>(
      c,
      `SELECT claim_id, person_id, facility_code, visit_type, admission_date::VARCHAR AS admission_date, discharge_date::VARCHAR AS discharge_date,
              total_cost::VARCHAR AS total_cost, eligible_cost::VARCHAR AS eligible_cost, reimbursed::VARCHAR AS reimbursed
       FROM claims WHERE scheme_year = ${last} AND claim_id NOT LIKE 'BENCH-%' ORDER BY hash(claim_id || '${i}') LIMIT 1000`,
    ),
  );
  await writeFile(
    join(dir, 'his', 'drop.csv'),
    'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,eligible_cost,reimbursed\n' +
      sample
        .map((r) => [`BENCH-${i}-${r.claim_id}`, r.person_id, r.facility_code, r.visit_type, r.admission_date, r.visit_type === 'outpatient' ? '' : r.discharge_date, r.total_cost, r.eligible_cost, r.reimbursed].join(','))
        .join('\n') +
      '\n',
  );
  t = performance.now();
  await platform.wh.write((c) => ingest(c, dir));
  const load = seconds(t);
  drops.push({ load, ...(await timedRefresh()) });
}
const drop = drops.reduce((a, b) => (b.seconds < a.seconds ? b : a));

// Reads: the query API against the bare query of the same analytics table, interleaved, median of 30.
const township = (await platform.read((c) => rows<{ code: string }>(c, `SELECT division_code AS code FROM analytics_year WHERE year = ${last} AND level = 'township' ORDER BY code LIMIT 1`)))[0]!.code;
const VILLAGE_PAGE = ['agricultural_population', 'enrollees', 'participation_rate', 'gap_to_target', 'village_reward', 'inpatient_stays', 'payouts_total', 'beneficiary_rate'];
const bare = (sql: string) => () => platform.read(async (c) => (await c.runAndReadAll(sql)).getRows().length);
const reads: Record<string, { api: () => Promise<unknown>; floor: () => Promise<unknown> }> = {
  'county and townships of a year': {
    api: () => platform.read((c) => readIndicators(c, { year: last, grain: ['county', 'township'] })),
    floor: bare(`SELECT * FROM analytics_year WHERE year = ${last} AND level IN ('county', 'township') ORDER BY level, division_code`),
  },
  "one township's monthly series": {
    api: () => platform.read((c) => readMonthly(c, { year: last, grain: 'township', units: [township] })),
    floor: bare(`SELECT * FROM analytics_period WHERE year = ${last} AND level = 'township' AND division_code = '${township}' AND period_type = 'month' ORDER BY period`),
  },
  'all villages of a year, every indicator': {
    api: () => platform.read((c) => readIndicators(c, { year: last, grain: 'village' })),
    floor: bare(`SELECT * FROM analytics_year WHERE year = ${last} AND level = 'village' ORDER BY division_code`),
  },
  'all villages of a year, the enrolment page (8 indicators)': {
    api: () => platform.read((c) => readIndicators(c, { year: last, grain: 'village', ids: VILLAGE_PAGE })),
    floor: bare(`SELECT year, level, division_code, name, ${VILLAGE_PAGE.join(', ')} FROM analytics_year WHERE year = ${last} AND level = 'village' ORDER BY division_code`),
  },
  'audit list, first page by difference': {
    api: () => platform.read((c) => readAudit(c, { year: last, limit: 100 })),
    floor: bare(`SELECT * FROM analytics_audit WHERE year = ${last} ORDER BY difference DESC, claim_id LIMIT 100`),
  },
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const readResults: Record<string, { apiMs: number; floorMs: number; ratio: number }> = {};
for (const [name, r] of Object.entries(reads)) {
  const api: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 3; i++) await Promise.all([r.api(), r.floor()]); // warm
  for (let i = 0; i < 30; i++) {
    let s = performance.now();
    await r.api();
    api.push(performance.now() - s);
    s = performance.now();
    await r.floor();
    floor.push(performance.now() - s);
  }
  readResults[name] = { apiMs: Number(median(api).toFixed(2)), floorMs: Number(median(floor).toFixed(2)), ratio: Number((median(api) / median(floor)).toFixed(2)) };
}
await platform.close();
console.log(
  JSON.stringify({
    years,
    full: { seconds: full.seconds, all: fulls.map((f) => f.seconds), steps: full.steps },
    fresh: { seconds: freshSeconds },
    drop: { seconds: drop.seconds, load: drop.load, all: drops.map((d) => d.seconds), modes: drop.result.modes, steps: drop.steps, overFull: Number((drop.seconds / full.seconds).toFixed(3)) },
    reads: readResults,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
