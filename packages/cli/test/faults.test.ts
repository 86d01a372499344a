/**
 * Faults: `ncms ingest` killed with SIGKILL in the middle of a run. The next process to open the
 * database marks the run interrupted (中断), nothing of the file being loaded is there, and the
 * next run loads what is left — ending exactly as a load that was never interrupted. And while
 * the server loads a year's claims, its pages and API keep answering, each answer from before the
 * load or after it, never from half of it. And on a disk that takes no more (the server's files
 * may not grow: RLIMIT_FSIZE), a load is refused with a clear error, nothing of it is written, and
 * the server keeps answering — read-only, saying why, when even opening needs room it lacks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse } from '@ncms/warehouse';
import { BIN, POLICIES, addAccount, dbRows as read, ncmsAsync, ncmsIn, signInCookie, startServer } from './support.ts';

let dir: string;
let county: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-faults-'));
  county = join(dir, 'county');
  const r = ncmsIn(dir)(['generate', '--out', county, '--seed', '11', '--scale', '0.3', '--years', '2004-2005']);
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const COUNTS = `SELECT (SELECT count(*) FROM census) AS census, (SELECT count(*) FROM facilities) AS facilities,
  (SELECT count(*) FROM enrollment) AS enrollment, (SELECT count(*) FROM claims) AS claims,
  (SELECT sum(reimbursed)::VARCHAR FROM claims) AS reimbursed, (SELECT count(*) FROM ledger) AS ledger`;

/**
 * A database `<name>.duckdb` holding the county without 2005's claims (the folder copied once);
 * the claims then arrive in a test's load.
 */
let withoutClaimsDir: Promise<string> | undefined;
async function countyWithout2005Claims(name: string): Promise<string> {
  withoutClaimsDir ??= (async () => {
    const first = join(dir, 'without-2005-claims');
    await cp(county, first, { recursive: true, filter: (src) => !/his-2005/.test(src) });
    return first;
  })();
  const db = join(dir, `${name}.duckdb`);
  expect(ncmsIn(dir)(['ingest', '--db', db, '--policies', POLICIES, await withoutClaimsDir]).code).toBe(0);
  return db;
}

describe('a load killed half way', () => {
  it('is marked interrupted, loses nothing committed, and the next run finishes the job', async () => {
    const clean = join(dir, 'clean.duckdb');
    expect(ncmsIn(dir)(['ingest', '--db', clean, '--policies', POLICIES, county]).code).toBe(3);

    const db = join(dir, 'killed.duckdb');
    const child = spawn(process.execPath, [BIN, 'ingest', '--db', db, '--policies', POLICIES, county], { cwd: dir });
    let stderr = '';
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Killed once the first file is in: the run has started and is far from done.
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/ingest/.test(stderr)) resolve();
      }),
    );
    child.kill('SIGKILL');
    expect(await ended).toBe('SIGKILL');
    // Cut before the end: fewer claims than the clean load, and the run still says running.
    const [cut] = await read<{ claims: number }>(db, COUNTS);
    const [whole] = await read<{ claims: number }>(clean, COUNTS);
    expect(cut!.claims).toBeLessThan(whole!.claims);
    expect(await read(db, 'SELECT status FROM pipeline_runs')).toEqual([{ status: 'running' }]);

    const again = ncmsIn(dir)(['ingest', '--db', db, '--policies', POLICIES, county]);
    expect(again.code, again.stderr).toBe(3);
    const runs = await read<{ status: string; error: string | null }>(db, 'SELECT status, error FROM pipeline_runs ORDER BY run_id');
    expect(runs.map((r) => r.status)).toEqual(['interrupted', 'rejected_files']);
    expect(runs[0]!.error).toMatch(/中途结束/);
    expect(await read(db, COUNTS)).toEqual(await read(clean, COUNTS));
  });
});

describe('reading while the server loads', () => {
  it('answers every request during a load, each with the figures of before or after, never half', async () => {
    // The county without 2005's claims, served; then the claims arrive and are loaded through it.
    const db = await countyWithout2005Claims('served');
    addAccount(dir, db, 'office', 'admin', 'a-long-password-1');
    // The load's refresh keeps the write lock while this file exists (a test hook): however fast
    // or busy the machine, a few reads are made before the load can end.
    const hold = join(dir, 'served.hold');
    const server = await startServer(dir, db, [], { env: { NCMS_TEST_HOLD_REFRESH: hold } });
    const stays = async () => {
      const r = await server.fetch('/api/indicators?year=2005&by=county&ids=inpatient_stays');
      expect(r.status).toBe(200);
      return ((await r.json()) as { inpatient_stays: number | null }[])[0]?.inpatient_stays ?? null;
    };
    try {
      const before = await stays();
      await writeFile(hold, '');
      const load = ncmsAsync(dir, ['ingest', '--db', db, '--policies', POLICIES, county]);
      let done = false;
      void load.then(() => (done = true));
      const seen: (number | null)[] = [];
      const pages: number[] = [];
      while (!done) {
        seen.push(await stays());
        pages.push((await server.fetch('/payouts?year=2005')).status);
        if (seen.length === 6) await rm(hold);
      }
      const loaded = await load;
      expect(loaded.code, loaded.stderr).toBe(3); // the sample's broken claims file, rejected on purpose
      const after = await stays();
      expect(after).not.toBe(before);
      expect(seen.length).toBeGreaterThan(5);
      expect([...new Set(seen)].filter((v) => v !== before && v !== after)).toEqual([]);
      expect([...new Set(pages)]).toEqual([200]);
    } finally {
      await rm(hold, { force: true });
      await server.stop();
    }
  });
});

describe('signing in while the server loads', () => {
  it('does not wait for the load: the sign-in and its audit entry are written beside it', async () => {
    const db = await countyWithout2005Claims('sign-in');
    addAccount(dir, db, 'office', 'admin', 'a-long-password-1');
    // While this file exists the server's refresh keeps the write lock once it has computed the
    // year (a test hook): the sign-in is made during the load on any machine, however busy.
    const hold = join(dir, 'sign-in.hold');
    const server = await startServer(dir, db, [], { env: { NCMS_TEST_HOLD_REFRESH: hold } });
    try {
      await writeFile(hold, '');
      let begun = false;
      let signIn!: () => void;
      const signedIn = new Promise<string>((resolve, reject) => (signIn = () => void signInCookie(server.url, 'office', 'a-long-password-1').then(resolve, reject)));
      // Once the server's refresh of 2005 has begun (inside the load's write), sign in.
      const load = ncmsAsync(dir, ['ingest', '--db', db, '--policies', POLICIES, county], (soFar) => {
        if (begun || !/2005 年计算中/.test(soFar)) return;
        begun = true;
        signIn();
      });
      let loadEnded = false;
      void load.then(() => (loadEnded = true));
      const cookie = await Promise.race([signedIn, load.then((r) => Promise.reject(new Error(`the load ended before its refresh of 2005 began: ${r.code} ${r.stderr}`)))]);
      expect(cookie).toMatch(/^ncms_session=/);
      // The load is still holding the write lock: the sign-in did not wait for it.
      expect(loadEnded).toBe(false);
      expect(await (await server.fetch('/healthz?ready')).text()).toBe('preparing');
      await rm(hold);
      const loaded = await load;
      expect(loaded.code, loaded.stderr).toBe(3);
      const log = await (await server.fetch('/admin/audit-log?action=login')).text();
      expect(log).toContain('office');
    } finally {
      await rm(hold, { force: true });
      await server.stop();
    }
  });
});

describe('a disk that refuses to grow the database', () => {
  it('refuses the load with a clear error, keeps answering from what was committed, and loads it once there is room', async () => {
    const db = await countyWithout2005Claims('full-disk');
    const before = await read(db, COUNTS);
    const runsBefore = await read<{ n: number }>(db, 'SELECT count(*)::INTEGER AS n FROM pipeline_runs');
    // No file may grow past 512 KB: the database (tens of MB) and its write-ahead log can take no load.
    const server = await startServer(dir, db, [], { fileSizeKB: 512 });
    const stays = async () => {
      const r = await server.fetch('/api/indicators?year=2004&by=county&ids=inpatient_stays,enrollees');
      expect(r.status).toBe(200);
      return r.json();
    };
    try {
      const figures = await stays();
      for (let attempt = 0; attempt < 2; attempt++) {
        const load = await ncmsAsync(dir, ['ingest', '--db', db, '--policies', POLICIES, county]);
        expect(load.code, load.stderr).toBe(1);
        expect(load.stderr).toMatch(/数据库无法写入（(文件超出系统允许的大小|此前的写入故障使数据库停止写入)）/);
        expect(load.stderr).not.toMatch(/\n\s+at /); // no stack trace
        // The server is up and answers as before the load.
        expect((await server.fetch('/healthz')).status).toBe(200);
        expect(await stays()).toEqual(figures);
        expect((await server.fetch('/payouts?year=2004')).status).toBe(200);
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // Nothing of the refused load is in the file; its runs did not end "ok".
    expect(await read(db, COUNTS)).toEqual(before);
    const runs = await read<{ status: string }>(db, `SELECT status FROM pipeline_runs WHERE run_id > ${runsBefore[0]!.n} ORDER BY run_id`);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.status !== 'ok' && r.status !== 'rejected_files')).toBe(true);
    // With room again, the next run loads the year's claims (the broken claims file was judged,
    // and its rejection recorded, before the disk refused the next one: it is not judged again).
    const again = ncmsIn(dir)(['ingest', '--db', db, '--policies', POLICIES, county]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/his-2005\.csv loaded/);
    const [after] = await read<{ claims: number }>(db, COUNTS);
    expect(after!.claims).toBeGreaterThan((before[0] as { claims: number }).claims);
  });

  it('with no room even for the open\'s own writes, serves read-only: figures, a banner saying why, loads refused', async () => {
    const db = await countyWithout2005Claims('no-room');
    // An open with nothing to do writes nothing; one after an older macros file must apply them again.
    const wh = await openWarehouse(db);
    try {
      await wh.write((c) => c.run("UPDATE warehouse_macros SET file_hash = 'an older macros.sql'"));
    } finally {
      wh.close();
    }
    const server = await startServer(dir, db, [], { fileSizeKB: 4 });
    try {
      const api = await server.fetch('/api/indicators?year=2004&by=county&ids=enrollees');
      expect(api.status).toBe(200);
      expect(((await api.json()) as { enrollees: number }[])[0]!.enrollees).toBeGreaterThan(0);
      const page = await (await server.fetch('/enrollment?year=2004')).text();
      expect(page).toMatch(/数据库目前只读：查询照常/);
      expect(page).toMatch(/服务已转为只读/); // the local command line signs in as an administrator: it is told why
      const load = await ncmsAsync(dir, ['ingest', '--db', db, '--policies', POLICIES, county]);
      expect(load.code).toBe(1);
      expect(load.stderr).toMatch(/数据库无法写入.*重启服务/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('keeps answering when its own log file can grow no more', async () => {
    const db = await countyWithout2005Claims('full-log');
    const logFile = join(dir, 'server.log');
    const server = await startServer(dir, db, [], { fileSizeKB: 4, logFile });
    try {
      // A log line per request: a few dozen fill 4 KB many times over.
      for (let i = 0; i < 60; i++) expect((await server.fetch('/api/indicators?year=2004&by=county&ids=enrollees')).status).toBe(200);
      expect((await stat(logFile)).size).toBe(4096);
      expect((await server.fetch('/enrollment?year=2004')).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
