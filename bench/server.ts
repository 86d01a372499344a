/**
 * The server under load (benchmarks.md; issue: dashboard), in one process that drives it:
 *   floor      the reads behind each target called directly on the platform — the same DuckDB
 *              queries, no HTTP, no page — by 20 concurrent loops
 *   idle       `ncms serve` on loopback, 20 connections (autocannon) against the overview page,
 *              the enrolment API (townships) and the audit API, one after the other
 *   ingest     the three targets at once (20 connections split) while the server loads a scale-10
 *              enrolment roll (every row changed: the roll is merged and the year's analytics rebuilt)
 *   both as the product runs (reads remembered until the next load) and with NCMS_MEMO=off (every
 *   request queries DuckDB: the server's own overhead against the floor)
 *   first view the bytes a browser fetches for the overview (compressed, as sent), and the
 *              first contentful paint in headless Chromium (median of 5 cold loads)
 *   formats    JSON against Arrow IPC for 1k, 10k and 100k rows: bytes, server and client time
 * Prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { chromium } from 'playwright-core';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { dataVersion, monthlyQuery, readIndicators, readMonthly, versionNotes } from '@ncms/analytics';
import { Platform, auditListing, indicatorTable, parsePlatformConfig } from '@ncms/platform';
import { arrowTable, openScratch, rows, sqlString } from '@ncms/warehouse';

const [db, policies, county, workDir, durationArg, threads, memory, mode] = process.argv.slice(2) as [string, string, string, string, string, string, string, string | undefined];
const duration = Number(durationArg);
const CONNECTIONS = 20;
const YEAR = 2006;
const TARGETS = {
  overview: `/?year=${YEAR}`,
  enrolmentApi: `/api/indicators?year=${YEAR}&by=township`,
  auditApi: `/api/audit?year=${YEAR}`,
} as const;
type Target = keyof typeof TARGETS;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const summary = (ms: number[], seconds: number, errors = 0) => {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Number(x.toFixed(1));
  return { requests: s.length, rps: r(s.length / seconds), p50: r(quantile(s, 0.5)), p95: r(quantile(s, 0.95)), p99: r(quantile(s, 0.99)), errors };
};

// ---- floor: the same reads, in-process -------------------------------------------------------
const KPIS = ['agricultural_population', 'enrollees', 'participation_rate', 'funds_raised', 'payouts_total', 'surplus_rate', 'beneficiary_rate', 'in_county_rate', 'inpatient_stays', 'warnings'];
async function floorOf(platform: Platform, target: Target): Promise<void> {
  if (target === 'overview') {
    // The layout's and the page's reads (+layout.server.ts, +page.server.ts).
    await platform.read((c) => rows(c, `SELECT DISTINCT year FROM derived_refresh WHERE table_name = 'analytics_year' ORDER BY year`));
    await Promise.all([
      platform.read((c) => rows(c, `SELECT division_code AS code, name FROM analytics_year WHERE year = ${YEAR} AND level = 'township' ORDER BY division_code`)),
      platform.read(async (c) => { const v = await dataVersion(c, YEAR); return v && versionNotes(v); }),
      platform.read((c) => readIndicators(c, { year: YEAR, grain: 'county', ids: KPIS })),
      platform.read((c) => readIndicators(c, { year: YEAR - 1, grain: 'county', ids: KPIS })),
      platform.read((c) => readIndicators(c, { year: YEAR, grain: 'township', ids: ['participation_rate', 'enrollees', 'gap_to_target'] })),
      platform.read((c) => readMonthly(c, { year: YEAR, grain: 'county', ids: ['payouts_total', 'inpatient_stays'] })),
      platform.policies(),
    ]);
  } else if (target === 'enrolmentApi') JSON.stringify((await indicatorTable(platform, { year: YEAR, by: 'township' })).rows);
  else {
    const { total, rows } = await auditListing(platform, { year: YEAR, limit: 100, withSummary: false });
    JSON.stringify({ total, rows });
  }
}

async function floor(platform: Platform, target: Target, seconds: number) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await floorOf(platform, target);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return summary(latencies, seconds);
}

// ---- formats: JSON against Arrow -------------------------------------------------------------
/** The fastest of five runs, in ms. */
async function fastest(f: () => Promise<void> | void): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await f();
    min = Math.min(min, performance.now() - t);
  }
  return Number(min.toFixed(1));
}

/** One query's rows as JSON and as Arrow IPC: bytes (plain and gzipped), server time, client time. */
async function compareFormats(platform: Platform, sql: string) {
  let json = '';
  let ipc: Uint8Array = new Uint8Array();
  const jsonServer = await fastest(async () => void (json = JSON.stringify(await platform.read((c) => rows(c, sql)))));
  const arrowServer = await fastest(async () => void (ipc = tableToIPC(await platform.read((c) => arrowTable(c, sql)), 'stream')));
  const jsonClient = await fastest(() => void JSON.parse(json));
  // The client reads every column (what a table or chart does with it).
  const arrowClient = await fastest(() => {
    const t = tableFromIPC(ipc);
    for (const f of t.schema.fields) t.getChild(f.name)!.toArray();
  });
  return {
    rows: (JSON.parse(json) as unknown[]).length,
    json: { bytes: Buffer.byteLength(json), gzipBytes: gzipSync(json).length, serverMs: jsonServer, clientMs: jsonClient },
    arrow: { bytes: ipc.length, gzipBytes: gzipSync(ipc).length, serverMs: arrowServer, clientMs: arrowClient },
  };
}

async function formats(platform: Platform) {
  const out: Record<string, Awaited<ReturnType<typeof compareFormats>>> = {};
  // A claim listing (what the audit pages send) at 1k, 10k and 100k rows.
  for (const n of [1_000, 10_000, 100_000])
    out[`claims ${n}`] = await compareFormats(
      platform,
      `SELECT claim_id, person_id, facility_code, visit_type, discharge_date::VARCHAR AS discharge_date, total_cost::VARCHAR AS total_cost,
              reimbursed::VARCHAR AS reimbursed, expected_payout::VARCHAR AS expected_payout, in_county, payout_level
       FROM analytics_claims WHERE year = ${YEAR} ORDER BY claim_id LIMIT ${n}`,
    );
  // The largest series an endpoint serves: every village by month (/api/series?kind=monthly&by=village).
  out['village months'] = await compareFormats(platform, monthlyQuery({ year: YEAR, grain: 'village' }).sql);
  return out;
}

// ---- the roll that is loaded during the ingest run -------------------------------------------
async function changedRoll(days: number): Promise<string> {
  const dir = join(workDir, `roll-${YEAR}-${days}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'enrollment'), { recursive: true });
  const scratch = await openScratch();
  try {
    // Every receipt `days` later: every row is replaced, the year's analytics are rebuilt.
    await scratch.conn.run(
      // (the roll writes dates several ways on purpose; one it cannot read stays as it is)
      `COPY (SELECT * REPLACE (coalesce(strftime(TRY_CAST(replace(enrolled_on, '/', '-') AS DATE) + ${days}, '%Y-%m-%d'), enrolled_on) AS enrolled_on)
             FROM read_csv(${sqlString(join(county, 'enrollment', `enrollment-${YEAR}.csv`))}, header = true, all_varchar = true))
       TO ${sqlString(join(dir, 'enrollment', `enrollment-${YEAR}-更正${days}.csv`))} (HEADER)`,
    );
  } finally {
    scratch.close();
  }
  return dir;
}

// ---- HTTP ------------------------------------------------------------------------------------
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Signed in as the local command line (the token of the server's state note): pages and API alike. */
let auth: Record<string, string> = {};
/** Seconds the server took to build the analytics tables of the copy before the measurement began. */
let firstBuildSeconds = 0;

async function load(url: string, path: string, seconds: number, connections = CONNECTIONS) {
  const latencies: number[] = [];
  let errors = 0;
  // Failed answers by status, and when (seconds into the run): which failures, and whether they cluster.
  const failures: Record<string, number[]> = {};
  const started = performance.now();
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: url + path, connections, duration: seconds, headers: auth }, (err, result) => (err ? reject(err) : resolve(result)));
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 400) {
        errors++;
        (failures[status] ??= []).push(Math.round((performance.now() - started) / 1000));
      }
      latencies.push(ms);
    });
  });
  const when = Object.fromEntries(Object.entries(failures).map(([s, at]) => [s, { count: at.length, firstSecond: at[0], lastSecond: at.at(-1) }]));
  return { ...summary(latencies, seconds, errors + r.errors + r.timeouts), non2xx: r.non2xx, failures: when };
}

// ---- the server --------------------------------------------------------------------------
type Load = Awaited<ReturnType<typeof load>>;

async function firstView(url: string) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const bytes = { html: 0, js: 0, css: 0, other: 0 };
  const paints: number[] = [];
  for (let i = 0; i < 5; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: auth });
    const page = await ctx.newPage();
    const responses: Promise<void>[] = [];
    if (i === 0)
      page.on('response', (res) =>
        responses.push(
          res.request().sizes().then((s) => {
            const type = res.request().resourceType();
            const key = type === 'document' ? 'html' : type === 'script' ? 'js' : type === 'stylesheet' ? 'css' : 'other';
            bytes[key] += s.responseBodySize;
          }),
        ),
      );
    await page.goto(url + TARGETS.overview, { waitUntil: 'networkidle' });
    await page.waitForFunction(() => {
      // (the bench is compiled without the DOM library)
      const d = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ hasAttribute(a: string): boolean }> } }).document;
      return Array.from(d.querySelectorAll('.canvas')).every((c) => c.hasAttribute('data-chart-ready'));
    });
    paints.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    await Promise.all(responses);
    await ctx.close();
  }
  await browser.close();
  paints.sort((a, b) => a - b);
  return { gzipBytes: bytes, jsAndDataBytes: bytes.html + bytes.js, firstContentfulPaintMs: Number(paints[2]!.toFixed(0)), paintsMs: paints.map((p) => Number(p.toFixed(0))) };
}

/**
 * `ncms serve` with `env`: each target alone for `duration`, then the three at once (20 connections
 * split) while `roll` is loaded through the server; the first view when asked.
 */
/** `ncms serve` on a free port with `env`, answering and signed in (the local token); stopped by `stop`. */
async function startServe(env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['packages/cli/bin/ncms.js', 'serve', '--db', db, '--port', String(port), '--no-schedules', '--policies', policies], {
    // The server's request log (JSON lines on stderr) is not the benchmark's output.
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, NCMS_THREADS: threads, NCMS_MEMORY: memory, ...env },
  });
  // Whatever happens here, the server does not outlive the benchmark.
  const kill = () => server.kill('SIGKILL');
  process.on('exit', kill);
  for (let i = 0; i < 600 && !(await fetch(`${url}/healthz`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  auth = { authorization: `Bearer ${(JSON.parse(await readFile(`${db}.server.json`, 'utf8')) as { token: string }).token}` };
  // The copy has no analytics tables yet: the server builds them first, answering 503 meanwhile.
  // The clock starts once they are built (the soak measures the steady state, not the first build).
  const building = performance.now();
  while ((await fetch(url + TARGETS.enrolmentApi, { headers: auth })).status === 503) await new Promise((r) => setTimeout(r, 500));
  firstBuildSeconds = Number(((performance.now() - building) / 1000).toFixed(1));
  const stop = async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
    process.off('exit', kill);
  };
  return { url, pid: server.pid!, stop };
}

/** The server process's resident memory (MB) and open file descriptors (sockets, files). */
async function processState(pid: number): Promise<{ rssMB: number; fds: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { rssMB: Math.round(rssKB / 1024), fds: (await readdir(`/proc/${pid}/fd`)).length };
}

/**
 * The soak: 20 connections across the three targets for `minutes` while the server loads a
 * changed roll again and again; the server's memory and descriptors sampled every 10 s.
 */
async function soak(minutes: number) {
  const { url, pid, stop } = await startServe({});
  const seconds = minutes * 60;
  const targets = Object.keys(TARGETS) as Target[];
  await Promise.all(targets.map((t) => load(url, TARGETS[t], 2, 2))); // warm
  const before = await processState(pid);
  const samples: { t: number; rssMB: number; fds: number }[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  const sampler = setInterval(() => void processState(pid).then((s) => samples.push({ t: Math.round((performance.now() - started) / 1000), ...s })), 10_000);
  const ingests: { seconds: number; code: number | null }[] = [];
  const loader = (async () => {
    for (let i = 1; performance.now() < end; i++) {
      const t = performance.now();
      const roll = await changedRoll(i);
      const code = await new Promise<number | null>((resolve) =>
        spawn(process.execPath, ['packages/cli/bin/ncms.js', 'ingest', '--db', db, roll], { stdio: 'ignore' }).on('exit', (c) => resolve(c)),
      );
      ingests.push({ seconds: Number(((performance.now() - t) / 1000).toFixed(1)), code });
    }
  })();
  const split = targets.map((_, i) => Math.floor(CONNECTIONS / targets.length) + (i < CONNECTIONS % targets.length ? 1 : 0));
  const loads = await Promise.all(targets.map((t, i) => load(url, TARGETS[t], seconds, split[i])));
  await loader;
  clearInterval(sampler);
  // Idle again: what the server holds once the clients are gone.
  await new Promise((r) => setTimeout(r, 5_000));
  const after = await processState(pid);
  await stop();
  return { minutes, connections: CONNECTIONS, firstBuildSeconds, before, after, samples, ingests, loads: Object.fromEntries(targets.map((t, i) => [t, { ...loads[i]!, connections: split[i] }])) };
}

async function measureServer(env: NodeJS.ProcessEnv, roll: string, withFirstView: boolean) {
  const { url, stop } = await startServe(env);

  const idle = {} as Record<Target, Load>;
  for (const t of Object.keys(TARGETS) as Target[]) {
    await load(url, TARGETS[t], 2); // warm
    idle[t] = await load(url, TARGETS[t], duration);
  }
  const view = withFirstView ? await firstView(url) : undefined;

  const ingestStarted = performance.now();
  const ingest = spawn(process.execPath, ['packages/cli/bin/ncms.js', 'ingest', '--db', db, roll], { stdio: ['ignore', 'ignore', 'inherit'] });
  const ingestDone = new Promise<number>((resolve) => ingest.on('exit', () => resolve((performance.now() - ingestStarted) / 1000)));
  const targets = Object.keys(TARGETS) as Target[];
  const split = targets.map((_, i) => Math.floor(CONNECTIONS / targets.length) + (i < CONNECTIONS % targets.length ? 1 : 0));
  const loads = await Promise.all(targets.map((t, i) => load(url, TARGETS[t], duration, split[i])));
  const measuredSeconds = (performance.now() - ingestStarted) / 1000;
  const ingestSeconds = await ingestDone;

  await stop();
  return {
    idle,
    duringIngest: {
      ...(Object.fromEntries(targets.map((t, i) => [t, { ...loads[i]!, connections: split[i] }])) as Record<Target, Load & { connections: number }>),
      ingestSeconds: Number(ingestSeconds.toFixed(1)),
      measuredSeconds: Number(measuredSeconds.toFixed(1)),
    },
    firstView: view,
  };
}

if (mode === 'soak') {
  console.log(JSON.stringify(await soak(duration)));
  process.exit(0);
}

const platform = await Platform.open(db, parsePlatformConfig({ policies }), { threads: Number(threads), memoryLimit: memory });
await platform.refresh();
for (const t of Object.keys(TARGETS) as Target[]) await floorOf(platform, t); // warm
const floors = {} as Record<Target, ReturnType<typeof summary>>;
for (const t of Object.keys(TARGETS) as Target[]) floors[t] = await floor(platform, t, Math.min(duration, 10));
const formatResults = await formats(platform);
const rolls = [await changedRoll(1), await changedRoll(2)];
await platform.close();

// As the product runs (reads remembered until the next load), then every request to DuckDB.
const remembered = await measureServer({}, rolls[0]!, true);
const uncached = await measureServer({ NCMS_MEMO: 'off' }, rolls[1]!, false);
const ratio = (l: Record<Target, Load>) => Object.fromEntries((Object.keys(TARGETS) as Target[]).map((t) => [t, Number((l[t].p95 / floors[t].p95).toFixed(2))]));
console.log(
  JSON.stringify({
    connections: CONNECTIONS,
    duration,
    targets: TARGETS,
    floor: floors,
    remembered: { ...remembered, firstView: undefined, p95OverFloor: ratio(remembered.idle) },
    uncached: { ...uncached, firstView: undefined, p95OverFloor: ratio(uncached.idle) },
    firstView: remembered.firstView,
    formats: formatResults,
  }),
);
