import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openWarehouse, openExistingWarehouse, query, rows, table, arrowTable, arrowStream, listMigrations, DatabaseInUseError, DatabaseMissingError, type Warehouse } from './index.ts';
import { tableFromIPC } from 'apache-arrow';

let dir: string;
let wh: Warehouse;
let conn: DuckDBConnection;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-wh-'));
  wh = await openWarehouse(join(dir, 'w.duckdb'), { threads: 1 });
  conn = await wh.connect();
});
afterAll(async () => {
  conn.closeSync();
  wh.close();
  await rm(dir, { recursive: true, force: true });
});

describe('migrations and macros', () => {
  it('apply once, in order; a reopen of the closed file applies nothing and puts the current macros back when the macros file changed', async () => {
    const path = join(dir, 'reopen.duckdb');
    const versions = (await listMigrations()).map((m) => m.version);
    let first = await openWarehouse(path, { threads: 1 });
    await first.write(async (c) => {
      expect((await query<{ version: number }>(c, 'SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version)).toEqual(versions);
      // An old definition, as a database last opened by an older macros file holds it.
      await c.run('CREATE OR REPLACE MACRO div_fen(amount, n) AS 42');
      await c.run("UPDATE warehouse_macros SET file_hash = 'an older macros.sql'");
      await c.run("INSERT INTO pipeline_runs (trigger, source_dir, kinds, started_at, status) VALUES ('test', '/x', ['his'], now(), 'ok')");
    });
    first.close();
    // The file really was closed: DuckDB lets another instance open it now.
    const other = await DuckDBInstance.create(path);
    other.closeSync();
    first = await openWarehouse(path, { threads: 1 });
    try {
      await first.read(async (c) => {
        const applied = await query<{ n: number }>(c, 'SELECT count(*) AS n FROM schema_migrations');
        expect(applied[0]!.n).toBe(versions.length);
        expect((await query<{ n: number }>(c, 'SELECT count(*) AS n FROM pipeline_runs'))[0]!.n).toBe(1);
        expect(await rows(c, 'SELECT div_fen(10.00, 3) AS x')).toEqual([{ x: '3.33' }]);
      });
    } finally {
      first.close();
    }
  });

  it('write nothing when an open finds nothing to migrate and the macros current (a read command pays no write, nor a checkpoint)', async () => {
    const path = join(dir, 'quiet.duckdb');
    (await openWarehouse(path, { threads: 1 })).close();
    const again = await openWarehouse(path, { threads: 1 });
    try {
      // DuckDB logs every committed change to the .wal file beside the database until a checkpoint.
      expect(existsSync(`${path}.wal`)).toBe(false);
      expect(await again.read((c) => rows(c, 'SELECT div_fen(10.00, 3) AS x'))).toEqual([{ x: '3.33' }]);
    } finally {
      again.close();
    }
  });
});

describe('one instance per file, a connection per unit of work', () => {
  it('hands out the same instance to every opener, and closes it with the last handle', async () => {
    const path = join(dir, 'shared.duckdb');
    const a = await openWarehouse(path, { threads: 1 });
    const b = await openWarehouse(path, { threads: 1 });
    expect(b.instance).toBe(a.instance);
    await expect(openWarehouse(path, { threads: 2 })).rejects.toThrow(/其他设置/);
    a.close();
    // Still open through b.
    expect(await b.read((c) => rows(c, 'SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    b.close();
    const other = await DuckDBInstance.create(path);
    other.closeSync();
  });

  it('keeps temp tables private to each unit of work', async () => {
    await wh.read((c) => c.run('CREATE TEMP TABLE scratch AS SELECT 1 AS x'));
    await expect(wh.read((c) => c.run('SELECT * FROM scratch'))).rejects.toThrow(/scratch/);
  });

  it('runs writers one after another while readers see the last committed state', async () => {
    await wh.write((c) => c.run('CREATE TABLE counter (n INTEGER); INSERT INTO counter VALUES (0)'));
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let wrote!: () => void;
    const firstWrote = new Promise<void>((r) => (wrote = r));
    const first = wh.write(async (c) => {
      await c.run('BEGIN; UPDATE counter SET n = 1');
      order.push('first wrote');
      wrote();
      await held;
      await c.run('COMMIT');
      order.push('first committed');
    });
    const second = wh.write(async (c) => {
      order.push('second started');
      await c.run('UPDATE counter SET n = n + 10');
    });
    // Once the first writer is inside its transaction, the second has had every chance to start.
    await firstWrote;
    await new Promise((r) => setTimeout(r, 50));
    // A reader during the first writer's transaction: not blocked, and sees 0, not the uncommitted 1.
    expect(await wh.read((c) => rows(c, 'SELECT n FROM counter'))).toEqual([{ n: 0 }]);
    expect(order).toEqual(['first wrote']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first wrote', 'first committed', 'second started']);
    expect(await wh.read((c) => rows(c, 'SELECT n FROM counter'))).toEqual([{ n: 11 }]);
  });

  it('a failing writer does not stop the next one', async () => {
    await expect(wh.write((c) => c.run('SELECT * FROM no_such_table'))).rejects.toThrow();
    expect(await wh.write((c) => rows(c, 'SELECT 2 AS two'))).toEqual([{ two: 2 }]);
  });

  it('refuses to create a database for a read that names a missing file', async () => {
    const path = join(dir, 'missing.duckdb');
    await expect(openExistingWarehouse(path)).rejects.toBeInstanceOf(DatabaseMissingError);
    expect(existsSync(path)).toBe(false);
  });
});

describe('results for callers', () => {
  const SQL = `SELECT 'a' AS s, 12345.50::DECIMAL(18,2) AS money, 3::BIGINT AS n, 0.25::DOUBLE AS r, DATE '2005-03-01' AS d,
                      ['x', 'y'] AS l, NULL::DECIMAL(18,2) AS gone, true AS b
               UNION ALL SELECT 'b', -0.05, 9007199254740993::HUGEINT, NULL, NULL, [], 1.00, false`;

  it('gives money as exact text, counts as numbers, dates as text and never a bigint', async () => {
    const t = await table(conn, SQL);
    expect(t.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['s VARCHAR', 'money DECIMAL(18,2)', 'n HUGEINT', 'r DOUBLE', 'd DATE', 'l VARCHAR[]', 'gone DECIMAL(18,2)', 'b BOOLEAN']);
    expect(t.rows).toEqual([
      { s: 'a', money: '12345.50', n: 3, r: 0.25, d: '2005-03-01', l: ['x', 'y'], gone: null, b: true },
      // beyond 2^53 a count stays exact as text
      { s: 'b', money: '-0.05', n: '9007199254740993', r: null, d: null, l: [], gone: '1.00', b: false },
    ]);
  });

  it('builds the same rows as an Arrow table that survives the IPC stream', async () => {
    const t = tableFromIPC(arrowStream(await arrowTable(conn, SQL)));
    expect(t.numRows).toBe(2);
    expect(t.getChild('money')!.toArray()).toEqual(['12345.50', '-0.05']);
    expect([...t.getChild('n')!.toArray()]).toEqual([3, 9007199254740992]);
    expect(t.getChild('r')!.get(0)).toBe(0.25);
    expect(t.getChild('r')!.get(1)).toBeNull();
    expect(t.getChild('d')!.get(0)).toBe('2005-03-01');
    expect(t.getChild('l')!.get(0)!.toArray()).toEqual(['x', 'y']);
    expect(t.getChild('b')!.toArray()).toEqual([true, false]);
    // Many chunks: 100,000 rows arrive whole and in order.
    const big = await arrowTable(conn, 'SELECT i::BIGINT AS i, (i % 7)::VARCHAR AS k FROM range(100000) t(i) ORDER BY i');
    expect(big.numRows).toBe(100000);
    expect(big.getChild('i')!.get(99999)).toBe(99999);
    expect(big.getChild('k')!.get(99999)).toBe(String(99999 % 7));
  });
});

describe('SQL helpers', () => {
  it('computes the GB 11643 check character (worked example from the standard: 11010519491231002X)', async () => {
    const [r] = await query<{ c: string; d: string }>(conn, `SELECT gb11643_check('11010519491231002') AS c, gb11643_check('44052418800101001') AS d`);
    // 44052418800101001: Σ digit×weight = 4·7+4·9+0·10+5·5+2·8+4·4+1·2+8·1+8·6+0·3+0·7+1·9+0·10+1·5+0·8+0·4+1·2 = 195; 195 mod 11 = 8 → '4'
    expect(r).toEqual({ c: 'X', d: '4' });
  });

  it('checks ID numbers by ISO 7064 in integer arithmetic, agreeing with the digit-by-digit check character', async () => {
    const cases = await query<{ id: string; ok: boolean }>(
      conn,
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
      conn,
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
      conn,
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
      conn,
      `SELECT count(*) AS n, count(*) FILTER (yyyymmdd_ok(v) <> (try_strptime(CAST(v AS VARCHAR), '%Y%m%d') IS NOT NULL)) AS disagree
       FROM (SELECT y * 10000 + m * 100 + d AS v FROM range(1896, 2005) a(y), range(0, 14) b(m), range(0, 36) c(d))`,
    );
    expect(d).toEqual({ n: 109 * 14 * 36, disagree: 0 });
  });

  it('upgrades a 15-digit ID number to 18 digits', async () => {
    const [r] = await query<{ id: string }>(conn, `SELECT id18('110105491231002') AS id`);
    expect(r!.id).toBe('11010519491231002X');
  });

  it('parses every date form of the spec', async () => {
    const [r] = await query<Record<string, string>>(
      conn,
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
      conn,
      `SELECT parse_amount('1,234.50')::VARCHAR a, parse_amount('0.1')::VARCHAR b, parse_amount('1.005')::VARCHAR c, parse_amount('12元')::VARCHAR d`,
    );
    expect(r).toEqual({ a: '1234.50', b: '0.10', c: null, d: null });
  });

  it('masks names and ID numbers', async () => {
    const [r] = await query(conn, `SELECT mask_name('张三英') a, mask_name('李四') b, mask_id('61012519800101123X') c`);
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
