import { openWarehouse, rows } from '@ncms/warehouse';
import { parsePolicy, policyForYear } from '@ncms/rules';
import { readFileSync, readdirSync } from 'node:fs';
import { computeFresh } from './src/evaluate/fresh.ts';
const dir = '/work/main/packages/sample-county/policies';
const pols = readdirSync(dir).map(f => parsePolicy(JSON.parse(readFileSync(dir+'/'+f,'utf8'))));
const pf = (y:number) => policyForYear(pols, y)?.policy;
const db = process.argv[2] ?? '/work/scratch/s02.duckdb';
const wh = await openWarehouse(db, { threads: 2, memoryLimit: '768MB' });
const conn = await wh.connect();
for (const year of [2004, 2005, 2006]) {
  let t = performance.now();
  const y = await computeFresh(conn, year, pf, '0');
  console.log(year, 'fresh', ((performance.now()-t)/1000).toFixed(3));
  if (db.includes('s02')) for (const grain of ['county', 'township', 'village'] as const) {
    const old = JSON.parse(readFileSync(`/work/scratch/old-${year}-${grain}.json`, 'utf8')) as Record<string, unknown>[];
    const neu = await rows<Record<string, unknown>>(conn, `SELECT * FROM ${y.tables.indicators} WHERE level = '${grain}' ORDER BY division_code`);
    let diffs = 0;
    if (old.length !== neu.length) console.log(grain, 'row count', old.length, neu.length);
    for (let i = 0; i < Math.min(old.length, neu.length); i++) {
      for (const c of Object.keys(old[0]!)) {
        const a = old[i]![c], b = neu[i]![c];
        const same = a === b || (a == null && b == null) || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a))) || String(a) === String(b);
        if (!same) { if (diffs++ < 8) console.log(year, grain, old[i]!.division_code, c, JSON.stringify(a), JSON.stringify(b)); }
      }
    }
    console.log(year, grain, 'diffs', diffs);
  }
  await y.drop();
}
conn.closeSync(); wh.close();
