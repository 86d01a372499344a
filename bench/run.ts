/**
 * `npm run bench`: the platform's ingest of a generated county against a bare DuckDB
 * read_csv of the same UTF-8 CSV files, in the same run, on the same data
 * (../shared/benchmarks.md). Options: --scale N (default 10), --threads N, --memory 1GB.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, rm, symlink, readdir, writeFile, readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCounty } from '@ncms/sample-county';
import { formatSets } from './formats.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '10' }, threads: { type: 'string', default: '2' }, memory: { type: 'string', default: '768MB' } } });
const scale = Number(values.scale);
const out = resolve('bench/out');
const county = join(out, `county-scale${scale}`);
const utf8 = join(out, `utf8-scale${scale}`);
const formatsDir = join(out, `formats-scale${scale}`);

// The cached county is reused only if the generator is unchanged since it was written.
const generatorHash = createHash('sha256').update(await readFile('packages/sample-county/src/generate.ts')).digest('hex').slice(0, 16);
const marker = join(county, '.complete');
if (!existsSync(marker) || (await readFile(marker, 'utf8')) !== generatorHash) {
  console.error(`generating a scale-${scale} county in ${county} …`);
  await rm(county, { recursive: true, force: true });
  await rm(formatsDir, { recursive: true, force: true });
  await generateCounty({ out: county, scale, onProgress: (m) => console.error(`  ${m}`) });
  await writeFile(marker, generatorHash);
}
// The comparison set: the UTF-8 CSV files only (bare DuckDB cannot read GBK or XLSX).
await rm(utf8, { recursive: true, force: true });
for (const kind of await readdir(county)) {
  if (kind.startsWith('.')) continue;
  for (const f of await readdir(join(county, kind))) {
    const bytes = await readFile(join(county, kind, f)).then((b) => b.subarray(0, 4096));
    // A header of plain ASCII (a BOM allowed) marks the UTF-8 files with canonical headers.
    const header = bytes.toString('utf8').split('\n')[0]!.replace(/^\uFEFF/, '');
    if (!f.endsWith('.csv') || f.includes('补报') || [...header].some((c) => c.charCodeAt(0) > 0x7f)) continue;
    await mkdir(join(utf8, kind), { recursive: true });
    await symlink(join(county, kind, f), join(utf8, kind, f));
  }
}

function child(script: string, args: string[]): string {
  const line = execFileSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return line.trim().split('\n').pop()!;
}

/** Runs one phase on a fresh database; the whole-county one (`keep`) is kept for the next benchmarks. */
function phase(kind: 'baseline' | 'typed' | 'ingest', src: string, label: string = kind, keep = false): { seconds: number; rows: number; maxRssMB: number } {
  const db = join(out, `${label}.duckdb`);
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const r = JSON.parse(child('bench/phase.ts', [kind, src, db, values.threads!, values.memory!]));
  if (!keep) for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  return r;
}

const duckdbVersion = JSON.parse(await readFile('node_modules/@duckdb/node-bindings/package.json', 'utf8')).version as string;
const machine = { cores: cpus().length, cpu: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, duckdb: duckdbVersion, threads: Number(values.threads), memoryLimit: values.memory };
console.error(`machine: ${JSON.stringify(machine)}`);

// Interleaved (baseline, ingest, baseline, ingest, baseline), best of each: noise shows as spread.
const runs = { baseline: [] as ReturnType<typeof phase>[], ingest: [] as ReturnType<typeof phase>[] };
for (let k = 0; k < 2; k++) {
  runs.baseline.push(phase('baseline', utf8));
  runs.ingest.push(phase('ingest', utf8));
}
runs.baseline.push(phase('baseline', utf8));
// The same files read as text and cast to the stored types, no checks: what validation and merging add.
const typed = phase('typed', utf8);
const full = phase('ingest', county, 'full', true);

// GBK and XLSX against the same rows in UTF-8 CSV (bare DuckDB reads neither).
const sets = await formatSets(county, formatsDir);
const formats = {
  utf8: phase('ingest', sets.utf8, 'utf8-roll'),
  gbk: phase('ingest', sets.gbk, 'gbk-roll'),
  csvHead: phase('ingest', sets.csvHead, 'csv-head'),
  xlsx: phase('ingest', sets.xlsx, 'xlsx-head'),
};

const compYear = 2006;
const comp = JSON.parse(child('bench/rules.ts', [join(out, 'full.duckdb'), String(compYear), 'packages/sample-county/policies/pilot-2005.json', values.threads!, values.memory!]));

const best = (xs: ReturnType<typeof phase>[]) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const b = best(runs.baseline);
const i = best(runs.ingest);
const result = {
  date: new Date().toISOString(),
  scale,
  machine,
  baseline: { ...b, rowsPerSecond: Math.round(b.rows / b.seconds), all: runs.baseline.map((r) => r.seconds) },
  ingest: { ...i, rowsPerSecond: Math.round(i.rows / i.seconds), all: runs.ingest.map((r) => r.seconds) },
  ratio: Number((i.seconds / b.seconds).toFixed(2)),
  typedLoad: { ...typed, overBaseline: Number((typed.seconds / b.seconds).toFixed(2)), note: 'read as text, cast to the stored types, into plain tables; no checks, no merge' },
  fullDirectory: { ...full, note: 'every file of the county: UTF-8, GBK, XLSX, Parquet and the bad file' },
  formats: {
    roll: { rows: sets.rows.roll, utf8: formats.utf8, gbk: formats.gbk, gbkOverUtf8: Number((formats.gbk.seconds / formats.utf8.seconds).toFixed(2)) },
    head: { rows: sets.rows.head, csv: formats.csvHead, xlsx: formats.xlsx, xlsxOverCsv: Number((formats.xlsx.seconds / formats.csvHead.seconds).toFixed(2)) },
  },
  compensation: {
    year: compYear,
    ...comp,
    sqlOverScan: Number((comp.sql / comp.scan).toFixed(1)),
    sqlOverWindowed: Number((comp.sql / comp.windowed).toFixed(2)),
    tsOverSql: Number((comp.ts / comp.sql).toFixed(1)),
  },
};
const table = [
  ['what', 'wall s', 'rows', 'rows/s', 'peak RSS MB'],
  ['bare read_csv (floor)', b.seconds.toFixed(2), b.rows, result.baseline.rowsPerSecond, b.maxRssMB],
  ['typed load, no checks', typed.seconds.toFixed(2), typed.rows, Math.round(typed.rows / typed.seconds), typed.maxRssMB],
  ['ncms ingest (same files)', i.seconds.toFixed(2), i.rows, result.ingest.rowsPerSecond, i.maxRssMB],
  ['ncms ingest (whole county)', full.seconds.toFixed(2), full.rows, Math.round(full.rows / full.seconds), full.maxRssMB],
];
console.log(table.map((r) => r.map((c, k) => String(c).padEnd(k === 0 ? 28 : 14)).join('')).join('\n'));
console.log(`ratio ingest / bare read_csv: ${result.ratio}× (typed load without checks: ${result.typedLoad.overBaseline}×)`);
const fm = result.formats;
console.log(
  `\nformats: the largest roll (${fm.roll.rows} rows) as UTF-8 ${fm.roll.utf8.seconds.toFixed(2)} s, as GBK ${fm.roll.gbk.seconds.toFixed(2)} s (${fm.roll.gbkOverUtf8}×); ` +
    `its first ${fm.head.rows} rows as CSV ${fm.head.csv.seconds.toFixed(2)} s, as XLSX ${fm.head.xlsx.seconds.toFixed(2)} s (${fm.head.xlsxOverCsv}×)`,
);
const cp = result.compensation;
console.log(
  `\ncompensation of ${cp.claims} claims (${compYear}): scan ${cp.scan.toFixed(3)} s, windowed floor ${cp.windowed.toFixed(3)} s, ` +
    `SQL ${cp.sql.toFixed(3)} s (${cp.sqlOverWindowed}× the windowed floor, ${cp.sqlOverScan}× the scan), TypeScript loop ${cp.ts.toFixed(2)} s ` +
    `(${cp.tsOverSql}× the SQL); totals agree: ${cp.agree}`,
);
console.log(`indicators at township grain (${cp.units} units, ${compYear}): ${cp.indicators.toFixed(3)} s = ${(cp.indicators / cp.windowed).toFixed(1)}× the windowed floor`);
await mkdir('bench/results', { recursive: true });
await writeFile(`bench/results/ingest-scale${scale}.json`, JSON.stringify(result, null, 2) + '\n');
