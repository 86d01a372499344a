/**
 * Issue #9's benchmarks on a loaded, refreshed county (argv: db, threads, memory, scratch dir):
 *   - the full lake export against DuckDB's bare `COPY … TO (FORMAT parquet, PARTITION_BY (year,
 *     county))` of the same tables, and the incremental export after a small load and refresh;
 *   - a typical analyst query (out-of-county payouts of one township by quarter) in the sandbox
 *     over the masked snapshot against the same query on the warehouse;
 *   - the same question in the trend explorer (every township, and one), no SQL;
 *   - the year report in each format.
 * Prints one JSON line.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ingest } from '@ncms/pipelines';
import { explore, refreshOn } from '@ncms/analytics';
import { AnalystSandbox, exportLake, LAKE_TABLES } from '@ncms/lake';
import { buildReport, closeBrowser, renderReport, REPORT_FORMATS } from '@ncms/reports';
import { openWarehouse, rows } from '@ncms/warehouse';

const [db, threads, memory, scratch] = process.argv.slice(2) as [string, string, string, string];
const wh = await openWarehouse(db, { threads: Number(threads), memoryLimit: memory });
const conn = await wh.connect();
const seconds = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Bare COPY of the same tables and rows (no masking, no fingerprints, partitions by DuckDB).
const [{ county }] = (await rows<{ county: string }>(conn, "SELECT max(division_code) AS county FROM analytics_year WHERE level = 'county'")) as [{ county: string }];
const bareDir = join(scratch, 'lake-bare');
await rm(bareDir, { recursive: true, force: true });
await mkdir(bareDir, { recursive: true });
const bare = await seconds(async () => {
  for (const t of LAKE_TABLES) {
    const omit = [...(t.omit ?? []), ...(t.year && t.year !== 'year' ? [t.year] : [])];
    const cols = `* ${omit.length ? `EXCLUDE (${omit.join(', ')})` : ''}${t.year && t.year !== 'year' ? `, ${t.year} AS year` : ''}`;
    const keys = t.year ? 'year, county' : 'county';
    await conn.run(`COPY (SELECT ${cols}, '${county}' AS county FROM ${t.from}) TO '${bareDir}/${t.name}' (FORMAT parquet, PARTITION_BY (${keys}), COMPRESSION zstd, ROW_GROUP_SIZE 262144)`);
  }
});

const lakeDir = join(scratch, 'lake');
await rm(lakeDir, { recursive: true, force: true });
let full = { written: 0, rows: 0 };
const fullSeconds = await seconds(async () => {
  const r = await exportLake(conn, lakeDir);
  full = { written: r.written, rows: r.manifest.tables.reduce((s, t) => s + t.rows, 0) };
});
const unchangedSeconds = await seconds(() => exportLake(conn, lakeDir));

// A small load: one ledger entry for the last year, then the refresh the platform runs after it.
const [{ year }] = (await rows<{ year: number }>(conn, 'SELECT max(year) AS year FROM analytics_year')) as [{ year: number }];
const drop = join(scratch, 'lake-drop');
await rm(drop, { recursive: true, force: true });
await mkdir(join(drop, 'ledger'), { recursive: true });
await writeFile(join(drop, 'ledger', 'bench-extra.csv'), `entry_id,date,direction,category,amount\nBENCH-${Date.now()},${year}-12-30,收入,interest,1234.56\n`);
await ingest(conn, drop);
await refreshOn(conn, {});
let incremental = { written: 0, kept: 0 };
const incrementalSeconds = await seconds(async () => {
  const r = await exportLake(conn, lakeDir);
  incremental = { written: r.written, kept: r.kept };
});

// The analyst's question, both ways.
const snapshot = join(scratch, 'analyst');
await rm(snapshot, { recursive: true, force: true });
const snapshotSeconds = await seconds(() => exportLake(conn, snapshot, { mask: true }));
const [{ town }] = (await rows<{ town: string }>(conn, `SELECT min(division_code) AS town FROM analytics_year WHERE year = ${year} AND level = 'township' AND in_census`)) as [{ town: string }];
const question = (claims: string) =>
  `SELECT year, quarter(discharge_date) AS quarter, count(*) AS stays, sum(expected_payout) AS payout
   FROM ${claims} WHERE NOT in_county AND visit_type = 'inpatient' AND village_code LIKE '${town}%' GROUP BY ALL ORDER BY ALL`;
const sandbox = new AnalystSandbox({ dir: snapshot, threads: Number(threads), memoryLimit: memory });
await sandbox.query('SELECT 1');
const onSnapshot: number[] = [];
const onWarehouse: number[] = [];
for (let i = 0; i < 7; i++) {
  onSnapshot.push(await seconds(() => sandbox.query(question('analytics_claims'))));
  onWarehouse.push(await seconds(() => conn.runAndReadAll(question('analytics_claims'))));
}
sandbox.close();

// The same question in the trend explorer (no SQL): the catalogue's inpatient payout of every
// township (or one) by quarter, split inside/outside the county, with last year beside it.
const explorer: number[] = [];
const ask = { indicator: 'inpatient_payout', grain: 'township', period: 'quarter', breakdown: 'in_county' } as const;
for (let i = 0; i < 3; i++) explorer.push(await seconds(() => explore(conn, { ...ask, township: town })));
const explorerAll = await seconds(() => explore(conn, ask));

const reports: Record<string, number> = {};
const report = await buildReport(conn, { year });
reports.gather = await seconds(() => buildReport(conn, { year }));
for (const f of REPORT_FORMATS) reports[f] = await seconds(() => buildReport(conn, { year }).then((r) => renderReport(r, f)));
// The PDF's first call starts Chromium; a second shows the steady cost.
reports.pdfWarm = await seconds(() => renderReport(report, 'pdf'));
await closeBrowser();

conn.closeSync();
wh.close();
console.log(JSON.stringify({
  export: { bareCopySeconds: bare, fullSeconds, ratio: fullSeconds / bare, partitions: full.written, rows: full.rows, unchangedSeconds, incrementalSeconds, incremental, maskedSnapshotSeconds: snapshotSeconds },
  analystQuery: { township: town, snapshotMs: median(onSnapshot) * 1000, warehouseMs: median(onWarehouse) * 1000, ratio: median(onSnapshot) / median(onWarehouse) },
  explorer: { townshipMs: median(explorer) * 1000, allTownshipsMs: explorerAll * 1000, handSqlMs: median(onWarehouse) * 1000 },
  reports,
}));
