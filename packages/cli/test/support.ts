/**
 * What the end-to-end tests of `ncms` (and the dashboard's API and browser tests, which drive the
 * same binary) share: the real command in a child process, a small generated county loaded
 * under the sample policies, and `ncms serve` started on a free port and stopped with SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openWarehouse, rows } from '@ncms/warehouse';

export const BIN = join(import.meta.dirname, '..', 'bin', 'ncms.js');
export const POLICIES = join(import.meta.dirname, '..', '..', 'sample-county', 'policies');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A command that has not ended after this long hangs: it is killed (code null). It blocks the
 * test's own timeout, so it is no estimate of the work (a county generated and loaded on a busy
 * 2-core runner takes minutes), only a bound; heavy commands run through `ncmsAsync`.
 */
const HUNG_MS = 600_000;

/** `ncms` with its working directory at `cwd` (`input`: its standard input, a password say). */
export function ncmsIn(cwd: string): (args: string[], env?: NodeJS.ProcessEnv, input?: string) => Run {
  return (args, env = {}, input) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, ...env }, timeout: HUNG_MS, ...(input !== undefined ? { input } : {}) });
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

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the fixtures shared by this run's test files (`fixtures.ts`). */
    ncmsFixtures: string;
  }
}

export interface SharedCounty {
  /** The generated folder: read it, copy it, never write into it (other test files read it too). */
  county: string;
  /** A database of one's own, `dir/<name>.duckdb`: a copy of the county loaded once for the run. */
  loaded(dir: string, name: string): Promise<string>;
}

let shared: Promise<SharedCounty> | undefined;

/**
 * The small county (`generateSmallCounty`) and its load (`loadCounty`), made once per test run
 * and shared by every test file and worker (a minute of two cores under load, for each file that
 * made its own). The first worker to ask builds it under a lock folder; the others wait for the
 * mark it leaves when done. Outside the configured projects (no shared folder), made in `dir`.
 */
export function sharedSmallCounty(dir: string): Promise<SharedCounty> {
  return (shared ??= (async () => {
    const root = sharedFixtures() ?? dir;
    const home = join(root, 'small-county');
    const done = join(home, 'done');
    const lock = `${home}.lock`;
    if (await mkdir(lock).then(() => true, () => false)) {
      try {
        await mkdir(home, { recursive: true });
        loadCounty(home, generateSmallCounty(home), 'loaded');
        await writeFile(done, '');
      } catch (e) {
        await rm(lock, { recursive: true, force: true });
        throw e;
      }
    } else {
      // Another worker builds it: wait for its mark (or for its lock to go, if it failed).
      while (!existsSync(done)) {
        if (!existsSync(lock)) throw new Error(`共享测试县生成失败 (the shared small county could not be made in ${home})`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return {
      county: join(home, 'county'),
      loaded: async (into, name) => {
        const db = join(into, `${name}.duckdb`);
        await copyFile(join(home, 'loaded.duckdb'), db);
        return db;
      },
    };
  })());
}

/** The run's shared fixture folder (vitest's global setup `fixtures.ts`), if there is one. */
function sharedFixtures(): string | undefined {
  try {
    return inject('ncmsFixtures');
  } catch {
    return undefined;
  }
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

export interface ServeOptions {
  /** No file the server writes may grow past this many KB (RLIMIT_FSIZE), as on a full disk. */
  fileSizeKB?: number;
  /** The server's output goes to this file, not to this process. */
  logFile?: string;
  /** Wait for `/healthz?ready` (default): the refresh the server starts with has ended. `false`: only for it to listen. */
  ready?: boolean;
  /** More environment for the server process (test hooks). */
  env?: NodeJS.ProcessEnv;
  /** `ncms demo` over the loaded county (it loads ./data/sample, then serves with its schedules). */
  demo?: boolean;
}

/**
 * `ncms serve` on a free port, resolved once the state file names it and it answers: ready
 * (`/healthz?ready`, its first refresh ended) unless `ready: false`. Listening gets 90 s, however
 * busy the machine; the refresh is waited for as long as the server says it is preparing (it
 * takes what the database's size makes it take: the test's own timeout bounds it).
 */
export async function startServer(cwd: string, db: string, extra: string[] = [], opts: ServeOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const command = opts.demo ? ['demo'] : ['serve', '--no-schedules', '--policies', POLICIES];
  const args = [BIN, ...command, '--db', db, '--port', String(port), ...extra];
  const env = { ...process.env, ...opts.env };
  // fileSizeKB: SIGXFSZ ignored, so a write past it fails with EFBIG instead of killing the
  // process (POSIX ulimit counts 512-byte blocks).
  const log = opts.logFile ? ' >"$NCMS_TEST_LOG" 2>&1' : '';
  const proc = opts.fileSizeKB
    ? spawn('sh', ['-c', `trap '' XFSZ; ulimit -f ${opts.fileSizeKB * 2}; exec "$0" "$@"${log}`, process.execPath, ...args], { cwd, env: { ...env, NCMS_TEST_LOG: opts.logFile ?? '' } })
    : spawn(process.execPath, args, { cwd, env });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const health = `${url}/healthz${opts.ready === false ? '' : '?ready'}`;
  const listenBy = Date.now() + 90_000;
  let state = '';
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`ncms serve exited ${proc.exitCode}: ${output}`);
    state = await readFile(`${db}.server.json`, 'utf8').catch(() => '');
    const answer = state.includes(url) ? await fetch(health).then(async (r) => ({ status: r.status, text: await r.text() }), () => undefined) : undefined;
    if (answer?.status === 200) break;
    if (answer?.text !== 'preparing' && Date.now() > listenBy) throw new Error(`ncms serve did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
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
