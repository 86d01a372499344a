/**
 * `npm run bench`: every benchmark of ../shared/benchmarks.md that the platform has, each side
 * by side with its baseline in the same run, on a generated county. Options: --scale N (default
 * 10), --threads N (2), --memory 768MB, --only ingest,rules,analytics,cli (default: all).
 *   ingest     the platform's ingest against bare DuckDB read_csv of the same files; GBK and XLSX
 *   rules      compensation in SQL against its floors, and the TypeScript engine
 *   analytics  full and small-drop refresh of the analytics tables; reads against their floor
 *   cli        `ncms --help` against `node -e 0`; `ncms indicators --by village` with no server
 *              against `ncms --help` on counties of each --read-scales (default 0.2,1)
 *   lake       the lake export against bare COPY, incremental after a small load; an analyst
 *              query in the sandbox against the warehouse; the year report in each format
 *   server     `ncms serve` under 20 connections (autocannon) against the same reads in-process,
 *              idle and while a roll loads; first view bytes and paint; JSON against Arrow
 *   soak       (only when named) 20 connections for 10 minutes (--duration in minutes) while
 *              changed rolls load again and again: failed requests, the server's memory and
 *              open descriptors before, during and after
 *   heavy      (only when named) one heavy request at a time — the largest exports, the worst
 *              analyst query, 1 GB bodies, an XLSX bomb — against the idle server: /healthz and a
 *              cached page p99 from a second client, the server's event-loop delay p99
 * Each measured phase runs in its own process (peak RSS per phase). Results: bench/results/*.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCounty, POLICY_DIR } from '@ncms/sample-county';
import { formatSets } from './formats.ts';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '10' }, threads: { type: 'string', default: '2' }, memory: { type: 'string', default: '768MB' }, only: { type: 'string', default: 'ingest,rules,analytics,cli,server,lake' }, duration: { type: 'string', default: '30' }, 'read-scales': { type: 'string', default: '0.2,1' } },
});
const only = new Set(values.only!.split(','));
const scale = Number(values.scale);
const out = resolve('bench/out');
const county = join(out, `county-scale${scale}`);
const utf8 = join(out, `utf8-scale${scale}`);
const formatsDir = join(out, `formats-scale${scale}`);
const loadedDb = join(out, `full-scale${scale}.duckdb`);

const duckdbVersion = JSON.parse(await readFile('node_modules/@duckdb/node-bindings/package.json', 'utf8')).version as string;
const machine = { cores: cpus().length, cpu: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, duckdb: duckdbVersion, threads: Number(values.threads), memoryLimit: values.memory };
console.error(`machine: ${JSON.stringify(machine)}`);

// The cached county is reused only if the generator is unchanged since it was written.
const generator = createHash('sha256');
for (const dir of ['packages/sample-county/src', 'packages/sample-county/policies'])
  for (const f of (await readdir(dir)).filter((x) => !x.includes('.test.')).sort()) generator.update(f).update(await readFile(join(dir, f)));
const generatorHash = generator.digest('hex').slice(0, 16);
const marker = join(county, '.complete');
if (!existsSync(marker) || (await readFile(marker, 'utf8')) !== generatorHash) {
  console.error(`generating a scale-${scale} county in ${county} …`);
  await rm(county, { recursive: true, force: true });
  await rm(formatsDir, { recursive: true, force: true });
  rmSync(loadedDb, { force: true });
  await generateCounty({ out: county, scale, onProgress: (m) => console.error(`  ${m}`) });
  await writeFile(marker, generatorHash);
}

function child(script: string, args: string[]): string {
  const line = execFileSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return line.trim().split('\n').pop()!;
}

type Phase = { seconds: number; rows: number; maxRssMB: number };

/** Runs one ingest phase on a fresh database; `keep` keeps it at `keep`'s path for the later benchmarks. */
function phase(kind: 'baseline' | 'typed' | 'ingest', src: string, label: string = kind, keep?: string): Phase {
  const db = keep ?? join(out, `${label}.duckdb`);
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const r = JSON.parse(child('bench/phase.ts', [kind, src, db, values.threads!, values.memory!]));
  if (!keep) for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  return r;
}

const best = (xs: Phase[]) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const fixed = (x: number, d = 2) => Number(x.toFixed(d));
await mkdir('bench/results', { recursive: true });

if (only.has('ingest')) {
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
  // Interleaved (baseline, ingest, baseline, ingest, baseline), best of each: noise shows as spread.
  const runs = { baseline: [] as Phase[], ingest: [] as Phase[] };
  for (let k = 0; k < 2; k++) {
    runs.baseline.push(phase('baseline', utf8));
    runs.ingest.push(phase('ingest', utf8));
  }
  runs.baseline.push(phase('baseline', utf8));
  // The same files read as text and cast to the stored types, no checks: what validation and merging add.
  const typed = phase('typed', utf8);
  const full = phase('ingest', county, 'full', loadedDb);
  // GBK and XLSX against the same rows in UTF-8 CSV (bare DuckDB reads neither).
  const sets = await formatSets(county, formatsDir);
  const formats = {
    utf8: phase('ingest', sets.utf8, 'utf8-roll'),
    gbk: phase('ingest', sets.gbk, 'gbk-roll'),
    csvHead: phase('ingest', sets.csvHead, 'csv-head'),
    xlsx: phase('ingest', sets.xlsx, 'xlsx-head'),
  };
  const b = best(runs.baseline);
  const i = best(runs.ingest);
  const result = {
    date: new Date().toISOString(),
    scale,
    machine,
    baseline: { ...b, rowsPerSecond: Math.round(b.rows / b.seconds), all: runs.baseline.map((r) => r.seconds) },
    ingest: { ...i, rowsPerSecond: Math.round(i.rows / i.seconds), all: runs.ingest.map((r) => r.seconds) },
    ratio: fixed(i.seconds / b.seconds),
    typedLoad: { ...typed, overBaseline: fixed(typed.seconds / b.seconds), note: 'read as text, cast to the stored types, into plain tables; no checks, no merge' },
    fullDirectory: { ...full, note: 'every file of the county: UTF-8, GBK, XLSX, Parquet and the bad file' },
    formats: {
      roll: { rows: sets.rows.roll, utf8: formats.utf8, gbk: formats.gbk, gbkOverUtf8: fixed(formats.gbk.seconds / formats.utf8.seconds) },
      head: { rows: sets.rows.head, csv: formats.csvHead, xlsx: formats.xlsx, xlsxOverCsv: fixed(formats.xlsx.seconds / formats.csvHead.seconds) },
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
    `formats: the largest roll (${fm.roll.rows} rows) as UTF-8 ${fm.roll.utf8.seconds.toFixed(2)} s, as GBK ${fm.roll.gbk.seconds.toFixed(2)} s (${fm.roll.gbkOverUtf8}×); ` +
      `its first ${fm.head.rows} rows as CSV ${fm.head.csv.seconds.toFixed(2)} s, as XLSX ${fm.head.xlsx.seconds.toFixed(2)} s (${fm.head.xlsxOverCsv}×)\n`,
  );
  await writeFile(`bench/results/ingest-scale${scale}.json`, JSON.stringify(result, null, 2) + '\n');
}

/** The loaded county the rules and analytics benchmarks run on (loaded by the ingest section, or now). */
function ensureLoaded(): void {
  if (!existsSync(loadedDb)) phase('ingest', county, 'full', loadedDb);
}

/** A fresh copy of the loaded county for a benchmark that writes into it (the original stays as loaded). */
async function loadedCopy(name: string): Promise<string> {
  ensureLoaded();
  const db = join(out, `${name}-scale${scale}.duckdb`);
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  await copyFile(loadedDb, db);
  return db;
}

if (only.has('rules')) {
  ensureLoaded();
  const year = 2006;
  const cp = JSON.parse(child('bench/rules.ts', [loadedDb, String(year), 'packages/sample-county/policies/pilot-2005.json', values.threads!, values.memory!]));
  const result = {
    date: new Date().toISOString(), scale, machine, year, ...cp,
    sqlOverScan: fixed(cp.sql / cp.scan, 1), sqlOverWindowed: fixed(cp.sql / cp.windowed), tsOverSql: fixed(cp.ts / cp.sql, 1),
  };
  console.log(
    `compensation of ${cp.claims} claims (${year}): scan ${cp.scan.toFixed(3)} s, windowed floor ${cp.windowed.toFixed(3)} s, ` +
      `SQL ${cp.sql.toFixed(3)} s (${result.sqlOverWindowed}× the windowed floor, ${result.sqlOverScan}× the scan), TypeScript loop ${cp.ts.toFixed(2)} s ` +
      `(${result.tsOverSql}× the SQL); totals agree: ${cp.agree}\n`,
  );
  await writeFile(`bench/results/rules-scale${scale}.json`, JSON.stringify(result, null, 2) + '\n');
}

if (only.has('analytics')) {
  const db = await loadedCopy('analytics');
  const a = JSON.parse(child('bench/analytics.ts', [db, values.threads!, values.memory!, POLICY_DIR, out]));
  const result = { date: new Date().toISOString(), scale, machine, ...a, fullOverFresh: fixed(a.full.seconds / a.fresh.seconds) };
  console.log(`analytics (${a.years.join(', ')}): full refresh ${a.full.seconds.toFixed(2)} s (fresh computation of the same ${a.fresh.seconds.toFixed(2)} s), ` +
    `small HIS drop: load ${a.drop.load.toFixed(2)} s + refresh ${a.drop.seconds.toFixed(2)} s = ${(a.drop.overFull * 100).toFixed(1)} % of the full refresh`);
  for (const [name, r] of Object.entries(a.reads as Record<string, { apiMs: number; floorMs: number; ratio: number }>))
    console.log(`  read ${name}: ${r.apiMs} ms (floor ${r.floorMs} ms, ${r.ratio}×)`);
  console.log();
  await writeFile(`bench/results/analytics-scale${scale}.json`, JSON.stringify(result, null, 2) + '\n');
}

if (only.has('lake')) {
  const db = await loadedCopy('lake');
  // The export reads the analytics tables: bring the copy's up to date first (not measured here).
  execFileSync(process.execPath, ['packages/cli/bin/ncms.js', 'refresh', '--db', db, '--policies', POLICY_DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
  const l = JSON.parse(child('bench/lake.ts', [db, values.threads!, values.memory!, out]));
  const result = { date: new Date().toISOString(), scale, machine, ...l };
  console.log(`lake export: ${l.export.fullSeconds.toFixed(2)} s for ${l.export.rows} rows in ${l.export.partitions} partitions against bare COPY ${l.export.bareCopySeconds.toFixed(2)} s (${l.export.ratio.toFixed(2)}×); ` +
    `unchanged ${l.export.unchangedSeconds.toFixed(2)} s; after a small load ${l.export.incrementalSeconds.toFixed(2)} s (${l.export.incremental.written} partitions rewritten, ${l.export.incremental.kept} kept)`);
  console.log(`analyst query: ${l.analystQuery.snapshotMs.toFixed(1)} ms on the snapshot against ${l.analystQuery.warehouseMs.toFixed(1)} ms on the warehouse (${l.analystQuery.ratio.toFixed(2)}×)`);
  console.log(`year report: figures ${l.reports.gather.toFixed(2)} s; pdf ${l.reports.pdf.toFixed(2)} s (warm ${l.reports.pdfWarm.toFixed(2)} s), docx ${l.reports.docx.toFixed(2)} s, xlsx ${l.reports.xlsx.toFixed(2)} s\n`);
  await writeFile(`bench/results/lake-scale${scale}.json`, JSON.stringify(result, null, 2) + '\n');
}

/**
 * A county of scale `s` loaded and refreshed through `ncms ingest`, for the read benchmark (kept
 * while the generator is unchanged).
 */
async function readCounty(s: number): Promise<string> {
  const db = join(out, `read-scale${s}.duckdb`);
  const mark = `${db}.generator`;
  if (existsSync(db) && existsSync(mark) && readFileSync(mark, 'utf8') === generatorHash) return db;
  const src = s === scale ? county : join(out, `read-county-scale${s}`);
  if (s !== scale) {
    await rm(src, { recursive: true, force: true });
    console.error(`generating a scale-${s} county for the read benchmark …`);
    await generateCounty({ out: src, scale: s });
  }
  for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  // Exit 3: the sample's deliberately bad file was rejected (the rest loaded).
  const r = spawnSync(process.execPath, ['packages/cli/bin/ncms.js', 'ingest', '--db', db, '--policies', POLICY_DIR, src], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 && r.status !== 3) throw new Error(`ncms ingest of the scale-${s} county exited ${r.status}`);
  await writeFile(mark, generatorHash);
  return db;
}

if (only.has('cli')) {
  // The bundle `npm install` builds; make sure it is current, then time the start against bare Node.
  execFileSync(process.execPath, ['packages/cli/build.mjs'], { stdio: 'inherit' });
  const run = (args: string[]) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    return (performance.now() - t) / 1000;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const time = (args: string[]) => median(Array.from({ length: 15 }, () => run(args)));
  const node = time(['-e', '0']);
  const help = time(['packages/cli/bin/ncms.js', '--help']);
  const indicatorsHelp = time(['packages/cli/bin/ncms.js', 'indicators', '--help']);
  // The read against `ncms --help`, interleaved (help, then each scale's read, 15 rounds) so the
  // machine's load falls on both alike; the first read of each county (a refresh if any) is not timed.
  const scales = values['read-scales']!.split(',').map(Number);
  // By village (the issue's read: its output grows with the county, 10× the villages at scale 10)
  // and by county (one row at every scale: the start-up alone).
  const dbs = await Promise.all(scales.map(readCounty));
  const reads = (['village', 'county'] as const).flatMap((by) =>
    scales.map((s, k) => ({ scale: s, by, args: ['packages/cli/bin/ncms.js', 'indicators', '--year', '2006', '--by', by, '--db', dbs[k]!, '--policies', POLICY_DIR] })),
  );
  for (const r of reads) run(r.args);
  const rounds = { help: [] as number[], reads: reads.map(() => [] as number[]) };
  for (let i = 0; i < 15; i++) {
    rounds.help.push(run(['packages/cli/bin/ncms.js', '--help']));
    reads.forEach((r, k) => rounds.reads[k]!.push(run(r.args)));
  }
  const helpBeside = median(rounds.help);
  const read = reads.map((r, k) => {
    const seconds = median(rounds.reads[k]!);
    return { scale: r.scale, by: r.by, seconds: fixed(seconds, 3), helpSeconds: fixed(helpBeside, 3), overHelp: fixed(seconds / helpBeside), minusHelp: fixed(seconds - helpBeside, 3) };
  });
  const result = { date: new Date().toISOString(), machine, nodeSeconds: fixed(node, 3), helpSeconds: fixed(help, 3), indicatorsHelpSeconds: fixed(indicatorsHelp, 3), read };
  console.log(`CLI start (median of 15): node -e 0 ${node.toFixed(3)} s; ncms --help ${help.toFixed(3)} s; ncms indicators --help ${indicatorsHelp.toFixed(3)} s`);
  for (const r of read)
    console.log(`  ncms indicators --by ${r.by}, scale ${r.scale}: ${r.seconds.toFixed(3)} s against ncms --help ${r.helpSeconds.toFixed(3)} s (${r.overHelp}×, help + ${r.minusHelp.toFixed(3)} s)`);
  await writeFile('bench/results/cli.json', JSON.stringify(result, null, 2) + '\n');
}

if (only.has('soak')) {
  // The soak: --duration is in minutes here (default 10, as the issue asks).
  const minutes = process.argv.includes('--duration') ? Number(values.duration) : 10;
  const db = await loadedCopy('soak');
  execFileSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { stdio: 'inherit' });
  const s = JSON.parse(child('bench/server.ts', [db, POLICY_DIR, county, out, String(minutes), values.threads!, values.memory!, 'soak']));
  const result = { date: new Date().toISOString(), scale, machine, ...s };
  const rss = s.samples.map((x: { rssMB: number }) => x.rssMB);
  const loads = Object.values(s.loads as Record<string, { errors: number; requests: number; failures: Record<string, { count: number; lastSecond: number }> }>);
  const failed = loads.reduce((n, l) => n + l.errors, 0);
  const requests = loads.reduce((n, l) => n + l.requests, 0);
  // 503 is the server saying the analytics tables are still being built (the soak's copy has none yet).
  const byStatus: Record<string, { count: number; lastSecond: number }> = {};
  for (const l of loads)
    for (const [status, f] of Object.entries(l.failures)) {
      const b = (byStatus[status] ??= { count: 0, lastSecond: 0 });
      b.count += f.count;
      b.lastSecond = Math.max(b.lastSecond, f.lastSecond);
    }
  const statuses = Object.entries(byStatus).map(([status, b]) => `${b.count} × ${status} (last at ${b.lastSecond} s)`).join(', ') || 'none';
  console.log(`soak, ${s.connections} connections × ${minutes} min during ${s.ingests.length} enrolment roll loads (scale ${scale}): ${requests} requests, ${failed} not 2xx: ${statuses}`);
  console.log(`  (the server first built the copy's analytics tables in ${s.firstBuildSeconds} s, answering 503 meanwhile; the clock started after)`);
  console.log(`  server memory ${s.before.rssMB} MB before, ${Math.min(...rss)}–${Math.max(...rss)} MB during, ${s.after.rssMB} MB after; open descriptors ${s.before.fds} before, ${s.after.fds} after`);
  await writeFile(`bench/results/soak-scale${scale}.json`, JSON.stringify(result, null, 2) + '\n');
}

if (only.has('server')) {
  const db = await loadedCopy('server');
  // The server runs the built dashboard and CLI: build what changed (turbo skips the rest).
  execFileSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { stdio: 'inherit' });
  const s = JSON.parse(child('bench/server.ts', [db, POLICY_DIR, county, out, values.duration!, values.threads!, values.memory!]));
  const result = { date: new Date().toISOString(), scale, machine, ...s };
  type L = { rps: number; p50: number; p95: number; p99: number; errors: number };
  const line = (name: string, l: L, f?: L) =>
    `  ${name.padEnd(14)} ${String(l.rps).padStart(7)} req/s  p50 ${l.p50} ms  p95 ${l.p95} ms  p99 ${l.p99} ms  errors ${l.errors}` + (f ? `   (floor p95 ${f.p95} ms, ${(l.p95 / f.p95).toFixed(2)}×)` : '');
  for (const mode of ['remembered', 'uncached'] as const) {
    console.log(`server (${mode === 'remembered' ? 'reads remembered until the next load' : 'NCMS_MEMO=off: every request queries DuckDB'}), ${s.connections} connections × ${s.duration} s, scale ${scale}:`);
    for (const t of Object.keys(s.targets)) console.log(line(t, s[mode].idle[t], s.floor[t]));
    console.log(`  during a scale-${scale} enrolment roll load (${s[mode].duringIngest.ingestSeconds} s):`);
    for (const t of Object.keys(s.targets)) console.log(line(t, s[mode].duringIngest[t]));
  }
  const fv = s.firstView;
  console.log(`first view of the overview: ${fv.jsAndDataBytes} bytes of JS and HTML+data gzipped (${JSON.stringify(fv.gzipBytes)}), first contentful paint ${fv.firstContentfulPaintMs} ms`);
  for (const [n, f] of Object.entries(s.formats as Record<string, { rows: number; json: { gzipBytes: number; serverMs: number; clientMs: number }; arrow: { gzipBytes: number; serverMs: number; clientMs: number } }>))
    console.log(`  ${n} (${f.rows} rows): JSON ${f.json.gzipBytes} B gz, ${f.json.serverMs}+${f.json.clientMs} ms; Arrow ${f.arrow.gzipBytes} B gz, ${f.arrow.serverMs}+${f.arrow.clientMs} ms`);
  console.log();
  await writeFile(`bench/results/server-scale${scale}.json`, JSON.stringify(result, null, 2) + '\n');
}

if (only.has('heavy')) {
  const db = await loadedCopy('heavy');
  execFileSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { stdio: 'inherit' });
  const h = JSON.parse(child('bench/heavy.ts', [db, POLICY_DIR, out, values.threads!, values.memory!]));
  const result = { date: new Date().toISOString(), scale, machine, ...h };
  type P = { seconds: number; probes: number; healthz: { p50: number; p99: number; max: number }; page: { p99: number; max: number }; loopDelay: { p99: number; max: number }; request?: { status: number; seconds: number } };
  console.log(`one heavy request at a time (scale ${scale}): a second client's /healthz and cached page, the server's event-loop delay (worst second's p99 / longest)`);
  for (const [name, p] of Object.entries(h as Record<string, P>).filter(([k]) => k !== 'bombBytes'))
    console.log(
      `  ${name.padEnd(16)} /healthz p50 ${p.healthz.p50} p99 ${p.healthz.p99} max ${p.healthz.max} ms; page p99 ${p.page.p99} ms; loop delay p99 ${p.loopDelay.p99} max ${p.loopDelay.max} ms` +
        (p.request ? `; request ${p.request.status} in ${p.request.seconds} s` : ` (${p.probes} probes over ${p.seconds} s)`),
    );
  await writeFile(`bench/results/heavy-scale${scale}.json`, JSON.stringify(result, null, 2) + '\n');
}
