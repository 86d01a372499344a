/**
 * Faults: `ncms ingest` killed with SIGKILL in the middle of a run. The next process to open the
 * database marks the run interrupted (中断), nothing of the file being loaded is there, and the
 * next run loads what is left — ending exactly as a load that was never interrupted. And while
 * the server loads a year's claims, its pages and API keep answering, each answer from before the
 * load or after it, never from half of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, POLICIES, addAccount, dbRows as read, ncmsAsync, ncmsIn, startServer } from './support.ts';

let dir: string;
let county: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-faults-'));
  county = join(dir, 'county');
  const r = ncmsIn(dir)(['generate', '--out', county, '--seed', '11', '--scale', '0.3', '--years', '2004-2005']);
  if (r.code !== 0) throw new Error(r.stderr);
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const COUNTS = `SELECT (SELECT count(*) FROM census) AS census, (SELECT count(*) FROM facilities) AS facilities,
  (SELECT count(*) FROM enrollment) AS enrollment, (SELECT count(*) FROM claims) AS claims,
  (SELECT sum(reimbursed)::VARCHAR FROM claims) AS reimbursed, (SELECT count(*) FROM ledger) AS ledger`;


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
    const db = join(dir, 'served.duckdb');
    const first = join(dir, 'first');
    await cp(county, first, { recursive: true, filter: (src) => !/his-2005/.test(src) });
    expect(ncmsIn(dir)(['ingest', '--db', db, '--policies', POLICIES, first]).code).toBe(0);
    addAccount(dir, db, 'office', 'admin', 'a-long-password-1');
    const server = await startServer(dir, db);
    const stays = async () => {
      const r = await server.fetch('/api/indicators?year=2005&by=county&ids=inpatient_stays');
      expect(r.status).toBe(200);
      return ((await r.json()) as { inpatient_stays: number | null }[])[0]?.inpatient_stays ?? null;
    };
    try {
      const before = await stays();
      const load = ncmsAsync(dir, ['ingest', '--db', db, '--policies', POLICIES, county]);
      let done = false;
      void load.then(() => (done = true));
      const seen: (number | null)[] = [];
      const pages: number[] = [];
      while (!done) {
        seen.push(await stays());
        pages.push((await server.fetch('/payouts?year=2005')).status);
      }
      const loaded = await load;
      expect(loaded.code, loaded.stderr).toBe(3); // the sample's broken claims file, rejected on purpose
      const after = await stays();
      expect(after).not.toBe(before);
      expect(seen.length).toBeGreaterThan(5);
      expect([...new Set(seen)].filter((v) => v !== before && v !== after)).toEqual([]);
      expect([...new Set(pages)]).toEqual([200]);
    } finally {
      await server.stop();
    }
  });
});
