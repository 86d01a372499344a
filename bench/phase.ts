/**
 * One measured phase in its own process, so peak RSS belongs to that phase alone.
 * Prints one JSON line: { seconds, rows, maxRssMB }.
 *   baseline SRC DB : bare DuckDB read_csv of every CSV into plain tables (the floor; ignore_errors
 *                     so the deliberate bad rows do not stop it)
 *   typed SRC DB    : read_csv as text, each column cast to the type the warehouse stores it as, into
 *                     plain tables: no checks, no merge (what the ingest does minus validation)
 *   ingest SRC DB   : the platform's pipeline (read+check → quarantine → merge)
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openWarehouse, query, sqlIdent, sqlString } from '@ncms/warehouse';
import { KINDS, type KindName } from '@ncms/extracts';
import { ingest, sqlTypeOf } from '@ncms/pipelines';

const [phase, src, db, threads, memory] = process.argv.slice(2) as [string, string, string, string, string];
const wh = await openWarehouse(db, { threads: Number(threads), memoryLimit: memory });
const started = performance.now();
let rows = 0;
await wh.write(async (conn) => {
  if (phase === 'baseline' || phase === 'typed') {
    // Bare DuckDB: its default compression, not the warehouse's choice (see openWarehouse).
    if (phase === 'baseline') await conn.run("SET GLOBAL disabled_compression_methods = ''");
    let i = 0;
    for (const kind of ['census', 'facilities', 'enrollment', 'his', 'ledger'] as KindName[]) {
      const files = (await readdir(join(src, kind)).catch(() => [] as string[])).filter((f) => f.endsWith('.csv')).sort();
      for (const f of files) {
        const t = `plain_${kind}_${i++}`;
        const path = sqlString(join(src, kind, f));
        if (phase === 'baseline') await conn.run(`CREATE TABLE ${t} AS SELECT * FROM read_csv(${path}, ignore_errors = true)`);
        else {
          const header = (await query<{ column_name: string }>(conn, `DESCRIBE SELECT * FROM read_csv(${path}, all_varchar = true)`)).map((c) => c.column_name);
          const cols = KINDS[kind].columns.filter((c) => header.includes(c.name)).map((c) => `TRY_CAST(${sqlIdent(c.name)} AS ${sqlTypeOf(c)}) AS ${sqlIdent(c.name)}`);
          await conn.run(`CREATE TABLE ${t} AS SELECT ${cols.join(', ')} FROM read_csv(${path}, all_varchar = true, ignore_errors = true)`);
        }
        rows += (await query<{ n: number }>(conn, `SELECT count(*) n FROM ${t}`))[0]!.n;
      }
    }
  } else {
    const s = await ingest(conn, src, { trigger: 'cli' });
    rows = s.files.reduce((a, f) => a + f.rows.total, 0);
  }
});
const seconds = (performance.now() - started) / 1000;
wh.close();
console.log(JSON.stringify({ seconds, rows, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
