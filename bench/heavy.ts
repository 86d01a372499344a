/**
 * One heavy request at a time against `ncms serve` (benchmarks.md; issue 19), each beside the
 * idle server in the same run: while it runs, a second client asks /healthz and a cached page
 * (the overview, read once before) every 20 ms, and the server logs its own event-loop delay
 * each second (perf_hooks.monitorEventLoopDelay, NCMS_LOOP_DELAY_LOG). The heavy requests:
 *   table-export    POST /api/export/xlsx, the largest posted table allowed (20,000 rows)
 *   analyst-export  POST /api/query/export as XLSX, the largest (100,000 rows of 300 characters)
 *   analyst-query   POST /api/query, the worst answer (repeat('x', 40000) × 10,000 rows: capped at 50 MB)
 *   body-1gb-login  1 GB streamed to the sign-in form (refused past 1 MB)
 *   body-1gb-upload a 1 GB file streamed to the upload box (written to disk up to 512 MB, then refused)
 *   xlsx-bomb       an XLSX of 600 KB that unpacks to 600 MB, uploaded and loaded
 * Heavy requests come from a child process (`heavy.ts client …`), so this one only measures.
 * Prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setPriority } from 'node:os';
import { writeXlsxBomb } from '../packages/extracts/src/test-support/xlsx-bomb.ts';

const MB = 1 << 20;
const KINDS = ['table-export', 'analyst-export', 'analyst-query', 'body-1gb-login', 'body-1gb-upload', 'xlsx-bomb'] as const;
type Kind = (typeof KINDS)[number];
const BOUNDARY = 'ncms-bench-boundary';
const UPLOAD_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
const partHead = (kind: string, name: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n`;

// ---- the heavy client (a child process) -------------------------------------------------------
async function client(kind: Kind, url: string, token: string, bomb: string): Promise<{ status: number; bytes: number }> {
  const headers = { authorization: `Bearer ${token}`, origin: url, accept: 'text/html' };
  const post = async (path: string, body: string | Buffer, type: string) => {
    const r = await fetch(url + path, { method: 'POST', headers: { ...headers, 'content-type': type }, body });
    return { status: r.status, bytes: (await r.arrayBuffer()).byteLength };
  };
  const gigabyte = (path: string, type: string, head: string) =>
    new Promise<{ status: number; bytes: number }>((done) => {
      const req = request(url + path, { method: 'POST', headers: { ...headers, 'content-type': type, 'transfer-encoding': 'chunked' } });
      const chunk = Buffer.alloc(MB);
      let sent = 0;
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        res.resume();
        done({ status: res.statusCode!, bytes: sent });
        req.destroy();
      });
      req.on('error', () => answered || done({ status: 0, bytes: sent }));
      req.write(head);
      const pump = () => {
        while (!answered && sent < 1024 * MB) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
  const json = 'application/json';
  if (kind === 'table-export')
    return post('/api/export/xlsx', JSON.stringify({ title: '最大表格', columns: [{ key: 'a', label: '甲', unit: 'count' }, { key: 'b', label: '乙', unit: 'text' }], rows: Array.from({ length: 20_000 }, (_, i) => ({ a: i, b: `村${i}` })) }), json);
  if (kind === 'analyst-export') return post('/api/query/export', JSON.stringify({ sql: "SELECT i, repeat('x', 300) AS s FROM range(100000) t(i)", format: 'xlsx' }), json);
  if (kind === 'analyst-query') return post('/api/query', JSON.stringify({ sql: "SELECT repeat('x', 40000) AS s FROM range(10000)", limit: 10_000 }), json);
  if (kind === 'body-1gb-login') return gigabyte('/login', 'application/x-www-form-urlencoded', '');
  if (kind === 'body-1gb-upload') return gigabyte('/quality?/upload', UPLOAD_TYPE, partHead('census', 'endless.csv'));
  const body = Buffer.concat([Buffer.from(partHead('enrollment', `bomb-${Date.now()}.xlsx`)), await readFile(bomb), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
  return post('/quality?/upload', body, UPLOAD_TYPE);
}

if (process.argv[2] === 'client') {
  const [, , , kind, url, token, bomb] = process.argv as string[];
  console.log(JSON.stringify(await client(kind as Kind, url!, token!, bomb!)));
  process.exit(0);
}

// ---- the measuring side -------------------------------------------------------------------------
const [db, policies, workDir, threads, memory] = process.argv.slice(2) as [string, string, string, string, string];

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN).toFixed(1));
};

const dir = resolve(workDir, 'heavy');
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
await writeFile(join(dir, 'ncms.config.json'), JSON.stringify({ sources: [{ dir: 'incoming' }] }));
const bomb = join(dir, 'bomb.xlsx');
const bombBytes = await writeXlsxBomb(bomb, 600);

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [resolve('packages/cli/bin/ncms.js'), 'serve', '--db', resolve(db), '--port', String(port), '--no-schedules', '--policies', resolve(policies)], {
  cwd: dir,
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, NCMS_THREADS: threads, NCMS_MEMORY: memory, NCMS_LOOP_DELAY_LOG: '1' },
});
const kill = () => server.kill('SIGKILL');
process.on('exit', kill);
/** The server's per-second event-loop delay lines, with the time each was read. */
const loopLines: { at: number; p99: number; max: number }[] = [];
let pending = '';
server.stderr!.on('data', (d: Buffer) => {
  pending += d.toString();
  const lines = pending.split('\n');
  pending = lines.pop()!;
  for (const l of lines) {
    const m = /"loopDelay":\{"p50":[\d.]+,"p99":([\d.]+),"max":([\d.]+)/.exec(l);
    if (m) loopLines.push({ at: performance.now(), p99: Number(m[1]), max: Number(m[2]) });
  }
});
for (let i = 0; i < 600 && !(await fetch(`${url}/healthz`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
const token = (JSON.parse(await readFile(`${resolve(db)}.server.json`, 'utf8')) as { token: string }).token;
const auth = { authorization: `Bearer ${token}` };
const PAGE = '/?year=2006';
// The copy's analytics tables are built first (503 meanwhile); then the page is read once, so it is remembered.
while ((await fetch(`${url}/api/indicators?year=2006&by=township`, { headers: auth })).status === 503) await new Promise((r) => setTimeout(r, 500));
await (await fetch(url + PAGE, { headers: auth })).arrayBuffer();
// The analyst sandbox starts on its first query: not part of any measured request.
await (await fetch(`${url}/api/query`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'SELECT 1' }) })).arrayBuffer();

/** Probes /healthz and the page until `until` settles (at least `minSeconds`). */
async function probe(until: Promise<unknown>, minSeconds: number) {
  let done = false;
  void until.then(() => (done = true));
  const started = performance.now();
  const healthz: number[] = [];
  const page: number[] = [];
  while (!done || performance.now() - started < minSeconds * 1000) {
    for (const [xs, path] of [
      [healthz, '/healthz'],
      [page, PAGE],
    ] as const) {
      const t = performance.now();
      await (await fetch(url + path, { headers: auth })).arrayBuffer();
      xs.push(performance.now() - t);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  // The loop-delay lines of the window (each covers the second before it was logged).
  await new Promise((r) => setTimeout(r, 1_100));
  const ended = performance.now();
  const loop = loopLines.filter((l) => l.at > started + 1000 && l.at <= ended);
  return {
    seconds: Number(((ended - started) / 1000).toFixed(1)),
    probes: healthz.length,
    healthz: { p50: quantile(healthz, 0.5), p99: quantile(healthz, 0.99), max: quantile(healthz, 1) },
    page: { p50: quantile(page, 0.5), p99: quantile(page, 0.99), max: quantile(page, 1) },
    // The worst second's 99th percentile, and the longest single delay, of the server's event loop.
    loopDelay: { p99: Math.max(...loop.map((l) => l.p99)), max: Math.max(...loop.map((l) => l.max)) },
  };
}

const results: Record<string, unknown> = { idle: await probe(Promise.resolve(), 10) };
for (const kind of KINDS) {
  const started = performance.now();
  const c = spawn(process.execPath, ['--import', 'tsx', 'bench/heavy.ts', 'client', kind, url, token, bomb], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The heavy client stands for another machine: here it shares the cores, so it yields them.
  setPriority(c.pid!, 10);
  let out = '';
  c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const finished = new Promise<void>((ok) => c.on('exit', () => ok()));
  const during = await probe(finished, 3);
  const answer = JSON.parse(out.trim().split('\n').pop() || '{"status":0,"bytes":0}') as { status: number; bytes: number };
  results[kind] = { ...during, request: { ...answer, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) } };
  console.error(`  ${kind}: ${JSON.stringify(results[kind])}`);
}
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
process.off('exit', kill);
await rm(dir, { recursive: true, force: true });
console.log(JSON.stringify({ bombBytes, ...results }));
