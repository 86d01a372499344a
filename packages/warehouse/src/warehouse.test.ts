import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse, query, DatabaseInUseError, type Warehouse } from './index.ts';

let dir: string;
let wh: Warehouse;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-wh-'));
  wh = await openWarehouse(join(dir, 'w.duckdb'), { threads: 1 });
});
afterAll(async () => {
  wh.close();
  await rm(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('apply once, in order, and a reopen applies nothing', async () => {
    const rows = await query<{ version: number }>(wh.conn, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('SQL helpers', () => {
  it('computes the GB 11643 check character (worked example from the standard: 11010519491231002X)', async () => {
    const [r] = await query<{ c: string; d: string }>(wh.conn, `SELECT gb11643_check('11010519491231002') AS c, gb11643_check('44052418800101001') AS d`);
    // 44052418800101001: Σ digit×weight = 4·7+4·9+0·10+5·5+2·8+4·4+1·2+8·1+8·6+0·3+0·7+1·9+0·10+1·5+0·8+0·4+1·2 = 195; 195 mod 11 = 8 → '4'
    expect(r).toEqual({ c: 'X', d: '4' });
  });

  it('checks ID numbers by ISO 7064 in integer arithmetic, agreeing with the digit-by-digit check character', async () => {
    const cases = await query<{ id: string; ok: boolean }>(
      wh.conn,
      `SELECT id, gb11643_ok(id) AS ok FROM (VALUES ('11010519491231002X'), ('11010519491231002x'), ('110105194912310021'),
         ('440524188001010014'), ('440524188001010015')) t(id) ORDER BY id`,
    );
    expect(cases).toEqual([
      { id: '110105194912310021', ok: false },
      { id: '11010519491231002X', ok: true },
      { id: '11010519491231002x', ok: true },
      { id: '440524188001010014', ok: true },
      { id: '440524188001010015', ok: false },
    ]);
    // Independent method: for 20,000 pseudo-random 17-digit prefixes, the character the weighted
    // digit sum gives is accepted and each of the other ten is refused.
    const [r] = await query<{ right: number; wrong: number }>(
      wh.conn,
      `WITH p AS (SELECT CAST(hash(i) % 90000000000000000 + 10000000000000000 AS VARCHAR) AS prefix
                  FROM range(20000) r(i)),
            c AS (SELECT prefix, unnest(['0','1','2','3','4','5','6','7','8','9','X']) AS ch FROM p)
       SELECT count(*) FILTER (gb11643_ok(prefix || ch) AND ch = gb11643_check(prefix)) AS "right",
              count(*) FILTER (gb11643_ok(prefix || ch) AND ch <> gb11643_check(prefix)) AS wrong FROM c`,
    );
    expect(r).toEqual({ right: 20000, wrong: 0 });
  });

  it('accepts the birth date inside an ID only when it is a real day from 1880 to today', async () => {
    const cases = await query<{ id: string; ok: boolean }>(
      wh.conn,
      `SELECT id, id_birth_ok(id) AS ok FROM (VALUES ('110105190002290011'), ('110105200002290011'), ('110105190402290011'),
         ('110105194904310011'), ('110105194913010011'), ('110105194900010011'), ('110105187912310011'),
         ('110105188001010011'), ('110105209912310011'), ('110105491231002'), ('110105490230002')) t(id) ORDER BY id`,
    );
    expect(Object.fromEntries(cases.map((c) => [c.id, c.ok]))).toEqual({
      '110105190002290011': false, // 1900 is not a leap year
      '110105200002290011': true, // 2000 is
      '110105190402290011': true,
      '110105194904310011': false, // 31 April
      '110105194913010011': false,
      '110105194900010011': false,
      '110105187912310011': false, // before 1880
      '110105188001010011': true,
      '110105209912310011': false, // in the future
      '110105491231002': true, // 15 digits: 1949-12-31
      '110105490230002': false, // 15 digits: 30 February
    });
    // Independent method: every month 0–13 and day 0–35 of 1896–2004 against DuckDB's own strptime.
    const [d] = await query<{ n: number; disagree: number }>(
      wh.conn,
      `SELECT count(*) AS n, count(*) FILTER (yyyymmdd_ok(v) <> (try_strptime(CAST(v AS VARCHAR), '%Y%m%d') IS NOT NULL)) AS disagree
       FROM (SELECT y * 10000 + m * 100 + d AS v FROM range(1896, 2005) a(y), range(0, 14) b(m), range(0, 36) c(d))`,
    );
    expect(d).toEqual({ n: 109 * 14 * 36, disagree: 0 });
  });

  it('upgrades a 15-digit ID number to 18 digits', async () => {
    const [r] = await query<{ id: string }>(wh.conn, `SELECT id18('110105491231002') AS id`);
    expect(r!.id).toBe('11010519491231002X');
  });

  it('parses every date form of the spec', async () => {
    const [r] = await query<Record<string, string>>(
      wh.conn,
      `SELECT parse_date('2005-01-03')::VARCHAR a, parse_date('2005/1/3')::VARCHAR b, parse_date('20050103')::VARCHAR c,
              parse_date('2005年1月3日')::VARCHAR d, parse_date('38355')::VARCHAR e, parse_date('2005-02-30')::VARCHAR f,
              parse_date('2005-1-3')::VARCHAR g, parse_date('2005/01/03 14:30:00')::VARCHAR h, parse_date('2005-01-03 25:00:00')::VARCHAR i,
              parse_date('2005-01/03')::VARCHAR j, parse_date('20050230')::VARCHAR k, parse_date('2004年2月29日')::VARCHAR l,
              parse_date('epoch')::VARCHAR m, parse_date('05-01-03')::VARCHAR n`,
    );
    // Excel serial 38355: 1899-12-30 + 38355 days = 2005-01-03.
    expect(r).toEqual({
      a: '2005-01-03', b: '2005-01-03', c: '2005-01-03', d: '2005-01-03', e: '2005-01-03', f: null,
      g: '2005-01-03', h: '2005-01-03', i: null, j: null, k: null, l: '2004-02-29', m: null, n: null,
    });
  });

  it('parses amounts exactly and refuses more than two decimals', async () => {
    const [r] = await query<Record<string, string | null>>(
      wh.conn,
      `SELECT parse_amount('1,234.50')::VARCHAR a, parse_amount('0.1')::VARCHAR b, parse_amount('1.005')::VARCHAR c, parse_amount('12元')::VARCHAR d`,
    );
    expect(r).toEqual({ a: '1234.50', b: '0.10', c: null, d: null });
  });

  it('masks names and ID numbers', async () => {
    const [r] = await query(wh.conn, `SELECT mask_name('张三英') a, mask_name('李四') b, mask_id('61012519800101123X') c`);
    expect(r).toEqual({ a: '张*英', b: '李*', c: '610125********123X' });
  });
});

describe('one writer per file', () => {
  it('fails at once, naming the process that holds the database', async () => {
    const path = join(dir, 'held.duckdb');
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(${JSON.stringify(path)}); await (await i.connect()).run('select 1'); console.log('ready'); setTimeout(() => {}, 20000);`],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(import.meta.dirname, '..') },
    );
    try {
      await new Promise<void>((res) => holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && res()));
      const started = Date.now();
      const err = await openWarehouse(path).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseInUseError);
      expect((err as DatabaseInUseError).holder).toContain(`PID ${holder.pid}`);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
