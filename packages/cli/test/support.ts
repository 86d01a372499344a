/**
 * What the end-to-end tests of `ncms` (and the dashboard's API and browser tests, which drive the
 * same binary) share: the real command in a child process, a small generated county loaded
 * under the sample policies, and `ncms serve` started on a free port and stopped with SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { openWarehouse, rows } from '@ncms/warehouse';

export const BIN = join(import.meta.dirname, '..', 'bin', 'ncms.js');
export const POLICIES = join(import.meta.dirname, '..', '..', 'sample-county', 'policies');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `ncms` with its working directory at `cwd` (`input`: its standard input, a password say). */
export function ncmsIn(cwd: string): (args: string[], env?: NodeJS.ProcessEnv, input?: string) => Run {
  return (args, env = {}, input) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, ...env }, timeout: 180_000, ...(input !== undefined ? { input } : {}) });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

/** The same, without blocking the test's event loop (a server in this process may need to answer). */
/** `ncms` in its own process; `onStderr` hears its progress as it comes. */
export function ncmsAsync(cwd: string, args: string[], onStderr?: (soFar: string) => void): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr);
    });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A small county (seed 7, scale 0.02, 2004–2005) generated into `dir/county`. */
export function generateSmallCounty(dir: string): string {
  const out = join(dir, 'county');
  const r = ncmsIn(dir)(['generate', '--out', out, '--seed', '7', '--scale', '0.02', '--years', '2004-2005']);
  if (r.code !== 0) throw new Error(r.stderr);
  return out;
}

/** The county loaded into `dir/<name>.duckdb` under the sample policies (exit 3: its bad file is rejected on purpose). */
export function loadCounty(dir: string, county: string, name: string): string {
  const db = join(dir, `${name}.duckdb`);
  const r = ncmsIn(dir)(['ingest', '--db', db, '--policies', POLICIES, county]);
  if (r.code !== 3) throw new Error(`ingest: ${r.code} ${r.stderr}`);
  return db;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  /** The command line's credential from the server's state note (an administrator's). */
  token: string;
  /** fetch on the server as the local command line does (signed in as its administrator). */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  output: () => string;
  /** SIGTERM, then the exit code once the process has ended. */
  stop: () => Promise<number | null>;
}

/** `ncms serve` on a free port, resolved once /healthz answers and the state file names it. */
export async function startServer(cwd: string, db: string, extra: string[] = [], limits: { fileSizeKB?: number; logFile?: string; demo?: boolean } = {}): Promise<RunningServer> {
  const port = await freePort();
  // demo: `ncms demo` over the loaded county (it loads ./data/sample, then serves with its schedules).
  const command = limits.demo ? ['demo'] : ['serve', '--no-schedules', '--policies', POLICIES];
  const args = [BIN, ...command, '--db', db, '--port', String(port), ...extra];
  // fileSizeKB: no file the server writes may grow past it (RLIMIT_FSIZE), as on a full disk;
  // SIGXFSZ ignored, so a write past it fails with EFBIG instead of killing the process (POSIX
  // ulimit counts 512-byte blocks). logFile: the server's output goes there, not to this process.
  const log = limits.logFile ? ' >"$NCMS_TEST_LOG" 2>&1' : '';
  const proc = limits.fileSizeKB
    ? spawn('sh', ['-c', `trap '' XFSZ; ulimit -f ${limits.fileSizeKB * 2}; exec "$0" "$@"${log}`, process.execPath, ...args], { cwd, env: { ...process.env, NCMS_TEST_LOG: limits.logFile ?? '' } })
    : spawn(process.execPath, args, { cwd });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  let state = '';
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`ncms serve exited ${proc.exitCode}: ${output}`);
    state = await readFile(`${db}.server.json`, 'utf8').catch(() => '');
    const healthy = state.includes(url) && (await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false));
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`ncms serve did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const token = (JSON.parse(state) as { token: string }).token;
  return {
    url,
    process: proc,
    token,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(url + path, { ...init, headers });
    },
    output: () => output,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

/** Makes an account on a database no server holds (the password on standard input). */
export function addAccount(dir: string, db: string, username: string, role: string, password: string, extra: string[] = []): void {
  const r = ncmsIn(dir)(['user', 'add', username, '--role', role, '--db', db, ...extra], {}, `${password}\n`);
  if (r.code !== 0) throw new Error(`user add ${username}: ${r.code} ${r.stderr}`);
}

/** Signs in with the form's fields as a script would; the session cookie (`name=value`). */
export async function signInCookie(url: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }),
  });
  if (r.status !== 303) throw new Error(`sign-in as ${username}: ${r.status} ${await r.text()}`);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

/** Rows of a query on a database file no process holds (opened read-only, then closed). */
export async function dbRows<T>(db: string, sql: string): Promise<T[]> {
  const wh = await openWarehouse(db, { readOnly: true });
  try {
    return await wh.read((c) => rows<T>(c, sql));
  } finally {
    wh.close();
  }
}
