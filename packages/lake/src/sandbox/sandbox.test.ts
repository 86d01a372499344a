/**
 * The analyst sandbox attacked the ways issue #9 lists: every write, ATTACH, COPY, reading other
 * files, changing settings, extensions, several statements, a runaway query, an oversized
 * result. Each is refused with a plain Chinese reason and leaves the sandbox answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testCounty, type TestCounty } from '../test-support/county.ts';
import { exportLake } from '../export/export.ts';
import { ANSWER_BYTES, AnalystSandbox, SandboxError, SHOWN_ROWS } from './sandbox.ts';

let county: TestCounty;
let sandbox: AnalystSandbox;
let secretFile: string;
beforeAll(async () => {
  county = await testCounty();
  await exportLake(county.conn, join(county.dir, 'snapshot'), { mask: true });
  secretFile = join(county.dir, 'outside.csv');
  await writeFile(secretFile, 'secret\n110105194912310021\n');
  sandbox = new AnalystSandbox({ dir: join(county.dir, 'snapshot'), timeoutMs: 1500 });
}, 180_000);
afterAll(async () => {
  sandbox?.close();
  await county?.cleanup();
});

async function refusal(sql: string): Promise<SandboxError> {
  try {
    await sandbox.query(sql);
  } catch (e) {
    expect(e).toBeInstanceOf(SandboxError);
    return e as SandboxError;
  }
  throw new Error(`not refused: ${sql}`);
}

describe('analyst sandbox', () => {
  it('answers a read of the snapshot, with masked personal data and exact money', async () => {
    const r = await sandbox.query('SELECT year, count(*) AS n, sum(reimbursed) AS paid FROM claims GROUP BY year ORDER BY year');
    const [expected] = (await county.conn.runAndReadAll('SELECT count(*)::INTEGER, sum(reimbursed)::VARCHAR FROM claims WHERE scheme_year = 2005')).getRows();
    expect(r.columns.map((c) => c.name)).toEqual(['year', 'n', 'paid']);
    expect(r.rows.find((x) => x[0] === 2005)).toEqual([2005, expected![0], expected![1]]);
    const ids = await sandbox.query('SELECT person_id, name FROM enrollment LIMIT 50');
    for (const [id, name] of ids.rows) {
      expect(id).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(String(name)).toContain('*');
    }
  });

  it.each([
    ['CREATE TABLE t AS SELECT 1', /不能创建表或视图/],
    ['CREATE TEMP TABLE t AS SELECT 1', /不能创建表或视图/],
    ['INSERT INTO claims SELECT * FROM claims LIMIT 1', /不能写入数据/],
    ['UPDATE claims SET reimbursed = 0', /不能修改数据/],
    ['DELETE FROM claims', /不能删除数据/],
    ['DROP VIEW claims', /不能删除表或视图/],
    ["ATTACH ':memory:' AS other", /不能挂载其他数据库/],
    ["COPY claims TO '/tmp/ncms-stolen.csv'", /不能导入导出文件|不能访问其他文件/],
    ["EXPORT DATABASE '/tmp/ncms-stolen'", /不能导出数据库/],
    ['SET threads = 8', /不能修改设置/],
    ["PRAGMA memory_limit = '20GB'", /不能修改设置/],
    ['RESET memory_limit', /不能修改设置/],
    ['INSTALL httpfs', /扩展/],
    ['LOAD json', /扩展/],
    ['SELECT 1; DROP VIEW claims', /一次只能执行一条查询/],
    ['BEGIN TRANSACTION', /事务/],
    ['CHECKPOINT', /refused|不能/],
  ])('refuses %s', async (sql, message) => {
    const e = await refusal(sql);
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(message);
  });

  it.each([
    () => `SELECT * FROM read_csv('${secretFile}')`,
    () => "SELECT * FROM read_text('/etc/passwd')",
    () => `SELECT * FROM read_parquet('${join(county.dir, 'w.duckdb')}')`,
    () => `SELECT * FROM '${secretFile}'`,
    () => "SELECT * FROM glob('/etc/*')",
    () => `SELECT * FROM read_csv('${join(county.dir, 'snapshot')}/../outside.csv')`,
  ])('refuses to read a file outside the snapshot (%#)', async (sql) => {
    const e = await refusal(sql());
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/只能读取分析快照中的表/);
  });

  it('leaves nothing behind: the copy target does not exist and the tables are still there', async () => {
    expect(existsSync('/tmp/ncms-stolen.csv')).toBe(false);
    expect((await sandbox.query('SELECT count(*) AS n FROM claims')).rows[0]![0]).toBeGreaterThan(0);
  });

  it('stops a query at its time limit, says so, and answers the next one', async () => {
    const e = await refusal('SELECT count(*) FROM range(100000000000) a');
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/超过 2 秒的时限/);
    expect((await sandbox.query('SELECT 42 AS x')).rows).toEqual([[42]]);
  });

  it('caps the rows shown and says the answer was cut', async () => {
    const r = await sandbox.query('SELECT * FROM range(50000)', 1_000_000);
    expect(r.rows).toHaveLength(SHOWN_ROWS);
    expect(r.truncated).toBe(true);
    const small = await sandbox.query('SELECT * FROM range(3)', 10);
    expect(small.truncated).toBe(false);
  });

  it('reports a SQL error with DuckDB\'s message', async () => {
    const e = await refusal('SELECT no_such_column FROM claims');
    expect(e.code).toBe('sql_error');
    expect(e.message).toMatch(/no_such_column/);
  });

  it('comes back after its process dies', async () => {
    const child = (sandbox as unknown as { child: ChildProcess }).child;
    const died = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await died;
    expect((await sandbox.query('SELECT 7 AS x')).rows).toEqual([[7]]);
  });

  it('caps an answer at 50 MB of JSON and says so (issue 19: repeat(\'x\', 40000) × 10,000 rows was 400 MB)', async () => {
    // Its own sandbox: the shared one's 1.5 s limit (for the runaway query) is about the cap's work
    // on a busy machine, and this test is about bytes, not time.
    const roomy = new AnalystSandbox({ dir: join(county.dir, 'snapshot'), timeoutMs: 120_000 });
    let parts: string[];
    try {
      parts = await roomy.queryJson("SELECT repeat('x', 40000) AS s FROM range(10000)", SHOWN_ROWS);
    } finally {
      roomy.close();
    }
    // It comes in parts of at most 1 MB (no one large message for the server to read at once).
    expect(parts.length).toBeGreaterThan(40);
    expect(parts.every((p) => p.length <= 1 << 20)).toBe(true);
    const text = parts.join('');
    expect(ANSWER_BYTES).toBe(50 * 1024 * 1024);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(ANSWER_BYTES);
    const answer = JSON.parse(text) as { rows: string[][]; truncated: boolean; note?: string };
    // Each row is ["x…x"] = 40,004 bytes and a comma: 52,428,800 / 40,005 ≈ 1,310 rows fit, less the answer's frame.
    expect(answer.rows.length).toBeGreaterThanOrEqual(1300);
    expect(answer.rows.length).toBeLessThanOrEqual(1310);
    expect(answer.rows.every((r) => r[0]!.length === 40_000)).toBe(true);
    expect(answer.truncated).toBe(true);
    expect(answer.note).toMatch(/超过 50 MB 的上限，只给出前 \d+ 行/);
    // A small answer is whole and says nothing of the cap.
    expect(JSON.parse((await sandbox.queryJson('SELECT 1 AS x')).join(''))).toMatchObject({ rows: [[1]], truncated: false });
  });

  it('tells every query in flight, in Chinese, when its process is killed (as the system does when memory runs out)', async () => {
    await sandbox.query('SELECT 1');
    const slow = 'SELECT count(*) FROM range(100000000000) a';
    const inFlight = [sandbox.query(slow).catch((e: unknown) => e), sandbox.query(slow).catch((e: unknown) => e)];
    await new Promise((r) => setTimeout(r, 100));
    process.kill(sandbox.childPid!, 'SIGKILL');
    for (const e of await Promise.all(inFlight)) {
      expect(e).toBeInstanceOf(SandboxError);
      expect((e as SandboxError).code).toBe('too_large');
      expect((e as SandboxError).message).toMatch(/查询进程因内存耗尽.*已中止.*请重试/);
    }
    expect((await sandbox.query('SELECT 8 AS x')).rows).toEqual([[8]]);
  });
});
