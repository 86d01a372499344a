/**
 * `ncms serve` and the commands beside it: one process owns the database; read commands, ingest
 * and refresh go through its API and print what they print without it; SIGTERM closes it cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse, rows } from '@ncms/warehouse';
import { POLICIES, ncmsAsync, sharedSmallCounty, startServer, type Run } from './support.ts';

const POLICY_2004 = join(POLICIES, 'pilot-2004.json');
let dir: string;
let county: string;
let db: string;
/** The backup made through the server, restored after it stops. */
let backupDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-serve-'));
  const shared = await sharedSmallCounty(dir);
  county = shared.county;
  db = await shared.loaded(dir, 'served');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const READS: string[][] = [
  ['indicators', '--year', '2004', '--by', 'township'],
  ['indicators', '--year', '2005', '--by', 'county', '--format', 'json'],
  ['indicators', '--year', '2005', '--by', 'village', '--township', '410523101', '--ids', 'enrollees,participation_rate'],
  ['indicators', '--year', '2005', '--by', 'county', '--period', '2005Q2', '--format', 'json'],
  ['indicators', '--year', '2005', '--series', 'monthly', '--by', 'county'],
  ['indicators', '--year', '2005', '--series', 'campaign', '--by', 'township'],
  ['indicators', '--year', '2004', '--series', 'lorenz', '--by', 'county', '--format', 'json'],
  ['indicators', '--year', '2004', '--by', 'county', '--labels', 'zh'],
  ['indicators', '--year', '2005', '--by', 'county', '--policy', POLICY_2004, '--format', 'json'],
  ['indicators', '--year', '2004', '--by', 'county', '--opening-balance', '1000000.50', '--ids', 'cumulative_surplus'],
  ['indicators', '--year', '2005', '--ids', 'no_such_indicator'],
  ['indicators', '--year', '2005', '--period', '2005-13'],
  ['audit', '--year', '2004', '--policy', POLICY_2004],
  ['simulate', '--year', '2004', '--policy', POLICY_2004, '--growth', '0.1'],
  ['simulate', '--year', '2004', '--policy', POLICY_2004, '--format', 'json'],
];

const run = (args: string[]): Promise<Run> => ncmsAsync(dir, [...args, '--db', db, '--policies', POLICIES]);

describe('ncms serve', () => {
  it('answers every read command as the command answers alone, loads through the server, and stops cleanly on SIGTERM', async () => {
    const alone = [];
    for (const args of READS) alone.push(await run(args));
    // The error cases are errors without the server too.
    expect(alone.at(-5)!.code).toBe(2);
    expect(alone.at(-4)!.code).toBe(2);

    const lakeAlone = await run(['export', '--out', join(dir, 'lake-alone'), '--tables', 'census,claims,analytics_year']);
    expect(lakeAlone.code, lakeAlone.stderr).toBe(0);

    const server = await startServer(dir, db);
    try {
      const state = JSON.parse(await readFile(`${db}.server.json`, 'utf8'));
      expect(state).toMatchObject({ url: server.url, pid: server.process.pid });
      for (const [i, args] of READS.entries()) {
        const through = await run(args);
        expect({ args, code: through.code, stdout: through.stdout }).toEqual({ args, code: alone[i]!.code, stdout: alone[i]!.stdout });
        // Notes and error messages too (progress lines aside, which only a load prints).
        expect(through.stderr).toBe(alone[i]!.stderr);
      }

      // A load through the server: a new roll file arrives, the server loads it and says so.
      const more = join(dir, 'more');
      await cp(join(county, 'facilities'), join(more, 'facilities'), { recursive: true });
      const ingest = await run(['ingest', more]);
      expect(ingest.code, ingest.stderr).toBe(0);
      expect(ingest.stderr).toMatch(/由运行中的服务载入/);
      expect(ingest.stdout).toMatch(/1 unchanged/);
      const refresh = await run(['refresh']);
      expect(refresh.code, refresh.stderr).toBe(0);
      expect(refresh.stdout).toMatch(/2004 年：数据版本 [0-9a-f]{12}/);

      // The lake export and the report, made by the server that owns the database.
      const lake = await run(['export', '--out', join(dir, 'lake-served'), '--tables', 'census,claims,analytics_year']);
      expect(lake.code, lake.stderr).toBe(0);
      expect(lake.stderr).toMatch(/由运行中的服务导出/);
      const manifest = async (d: string) => JSON.parse(await readFile(join(dir, d, 'manifest.json'), 'utf8')) as { tables: { name: string; rows: number }[] };
      expect((await manifest('lake-served')).tables.map((t) => [t.name, t.rows])).toEqual((await manifest('lake-alone')).tables.map((t) => [t.name, t.rows]));
      const report = await run(['report', '--year', '2005', '--period', '2005Q2', '--format', 'xlsx', '--out', join(dir, 'q2.xlsx')]);
      expect(report.code, report.stderr).toBe(0);
      expect(report.stderr).toMatch(/由运行中的服务生成/);
      expect((await readFile(join(dir, 'q2.xlsx'))).subarray(0, 2).toString()).toBe('PK');
      const badPeriod = await run(['report', '--year', '2005', '--period', '2006Q1', '--format', 'xlsx', '--out', join(dir, 'bad.xlsx')]);
      expect(badPeriod.code).toBe(2);
      expect(badPeriod.stderr).toMatch(/--period .*不在 2005 年内/);

      // A backup while the server runs, through it.
      const backup = await ncmsAsync(dir, ['backup', '--db', db, '--out', join(dir, 'backups'), '--keep', '2']);
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stderr).toMatch(/由运行中的服务备份/);
      backupDir = /已备份到 (\S+)：/.exec(backup.stdout)![1]!;
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).toMatch(/服务已停止，数据库已关闭/);
    expect(existsSync(`${db}.server.json`)).toBe(false);
    // The backup restores into a database that answers every read as the original does.
    const restored = join(dir, 'restored.duckdb');
    const restore = await ncmsAsync(dir, ['restore', '--from', backupDir, '--db', restored]);
    expect(restore.code, restore.stderr).toBe(0);
    for (const args of READS.slice(0, 4)) {
      const a = await run(args);
      const b = await ncmsAsync(dir, [...args, '--db', restored, '--policies', POLICIES]);
      expect(b.stdout, args.join(' ')).toBe(a.stdout);
    }
    const again = await ncmsAsync(dir, ['restore', '--from', backupDir, '--db', restored]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/已存在，不会覆盖/);
    // The database is whole and free again.
    const wh = await openWarehouse(db, { readOnly: true });
    try {
      expect(await wh.read((c) => rows(c, `SELECT count(*) AS n FROM pipeline_runs WHERE trigger = 'api'`))).toEqual([{ n: 1 }]);
    } finally {
      wh.close();
    }
  }, 300_000); // a dozen commands, a load and a backup through the server: minutes on a busy 2-core runner

  it('refuses a second server on the same database at once (exit 4), and ignores a note left by a process that has ended', async () => {
    const server = await startServer(dir, db);
    try {
      const second = await run(['serve', '--port', '1', '--no-schedules']);
      expect(second.code).toBe(4);
      expect(second.stderr).toContain(`PID ${server.process.pid}`);
    } finally {
      await server.stop();
    }
    await writeFile(`${db}.server.json`, JSON.stringify({ url: 'http://127.0.0.1:9', pid: 2 ** 22 + 12345, db, started: '' }));
    const alone = await run(['indicators', '--year', '2004', '--by', 'county']);
    expect(alone.code, alone.stderr).toBe(0);
    await rm(`${db}.server.json`);
  });
});
