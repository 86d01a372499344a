import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIndicators } from '@ncms/analytics';
import { DatabaseMissingError, rows } from '@ncms/warehouse';
import { POLICY_DIR } from '@ncms/sample-county';
import { Platform, parsePlatformConfig, loadPlatformConfig } from './index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-platform-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ID = '11010519491231002X';

async function sourceDir(): Promise<string> {
  const src = join(dir, 'incoming');
  await mkdir(join(src, 'census'), { recursive: true });
  await mkdir(join(src, 'enrollment'), { recursive: true });
  await writeFile(join(src, 'census', 'c.csv'), 'year,division_code,township_name,village_name,agricultural_population\n2005,410523100200,城关镇,东村,4\n');
  await writeFile(join(src, 'enrollment', 'e.csv'), `year,person_id,name,household_id,division_code\n2005,${ID},甲,H1,410523100200\n`);
  return src;
}

describe('configuration', () => {
  it('resolves folders against the file, reads the opening balance, and refuses unknown keys', async () => {
    const c = parsePlatformConfig({ policies: 'rules', fund: { openingBalance: { year: 2004, amount: '1234.50' } }, sources: [{ dir: 'in' }] }, 'x.json', '/county');
    expect(c.policiesDir).toBe('/county/rules');
    expect(c.openingBalance).toBe('1234.50');
    expect(c.pipeline.sources[0]!.dir).toBe('/county/in');
    expect(() => parsePlatformConfig({ polices: 'typo' }, 'x.json')).toThrow(/未知配置项 "polices"/);
    expect(parsePlatformConfig({ backups: { dir: 'bk' } }, 'x.json', '/county').backups).toEqual({ dir: '/county/bk', keep: 7, schedule: '0 2 * * *' });
    expect(() => parsePlatformConfig({ backups: { dir: 'bk', keep: 0 } }, 'x.json')).toThrow(/backups.keep/);
    expect(() => parsePlatformConfig({ fund: { openingBalance: { amount: 1.234 } } }, 'x.json')).toThrow(/最多两位小数/);
    // The server's public origin (scheme and host only) and the folders a browser session may name.
    expect(parsePlatformConfig({ server: { origin: 'https://YiBao.example.gov.cn/', folders: ['exports', '/srv/in'] } }, 'x.json', '/county').server).toEqual({
      origin: 'https://yibao.example.gov.cn',
      folders: ['/county/exports', '/srv/in'],
    });
    expect(parsePlatformConfig({}, 'x.json', '/county').server).toEqual({ folders: [] });
    for (const origin of ['https://x.example/path', 'ftp://x.example', 'https://user:pw@x.example', 'x.example'])
      expect(() => parsePlatformConfig({ server: { origin } }, 'x.json'), origin).toThrow(/server.origin 应为公开地址/);
    expect(() => parsePlatformConfig({ server: { folders: 'exports' } }, 'x.json')).toThrow(/server.folders/);
    // No file: the defaults, beside where the file would be.
    expect((await loadPlatformConfig(join(dir, 'ncms.config.json'))).policiesDir).toBe(join(dir, 'policies'));
  });

  it('reads the upload limit in MB (512 MB unless set) and refuses one that is not a positive whole number', () => {
    expect(parsePlatformConfig({}, 'x.json').uploadLimitBytes).toBe(512 * 1024 * 1024);
    expect(parsePlatformConfig({ limits: { uploadMB: 2 } }, 'x.json').uploadLimitBytes).toBe(2_097_152);
    expect(() => parsePlatformConfig({ limits: { uploadMB: 0 } }, 'x.json')).toThrow(/limits.uploadMB 应为正整数/);
    expect(() => parsePlatformConfig({ limits: { uploadMb: 2 } }, 'x.json')).toThrow(/limits 只有 uploadMB 一项/);
  });
});

describe('Platform', () => {
  it('loads a folder and refreshes the analytics tables in one call; readers see the result', async () => {
    const config = parsePlatformConfig({}, 'x.json', dir);
    const p = await Platform.open(join(dir, 'w.duckdb'), config, { threads: 1 });
    try {
      const { summary, refresh } = await p.ingest(await sourceDir());
      expect(summary.files.map((f) => f.status)).toEqual(['loaded', 'loaded']);
      expect(refresh.refreshed).toEqual([2005]);
      const t = await p.read((conn) => readIndicators(conn, { year: 2005, grain: 'county', ids: ['enrollees', 'participation_rate'] }));
      expect(t.rows).toEqual([{ year: 2005, level: 'county', division_code: '410523', name: '全县', enrollees: 1, participation_rate: 0.25 }]);
      expect(await p.staleYears()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('remembers a read until a load changes the data, shares identical reads, and forgets a failed one', async () => {
    const config = parsePlatformConfig({}, 'x.json', dir);
    const p = await Platform.open(join(dir, 'm.duckdb'), config, { threads: 1 });
    try {
      const src = await sourceDir();
      await p.ingest(src);
      let queries = 0;
      const enrolled = () =>
        p.memo('enrolled', () => {
          queries++;
          return p.read(async (conn) => (await readIndicators(conn, { year: 2005, grain: 'county', ids: ['enrollees'] })).rows[0]!.enrollees);
        });
      expect(await Promise.all([enrolled(), enrolled()])).toEqual([1, 1]);
      expect(await enrolled()).toBe(1);
      expect(queries).toBe(1);
      // A second enrolee arrives: the load ends, the remembered answer is gone.
      await writeFile(join(src, 'enrollment', 'more.csv'), `year,person_id,name,household_id,division_code\n2005,440524188001010014,乙,H2,410523100200\n`);
      await p.ingest(src);
      expect(await enrolled()).toBe(2);
      expect(queries).toBe(2);
      let attempts = 0;
      const failing = () => p.memo('failing', async () => {
        attempts++;
        throw new Error('no');
      });
      await expect(failing()).rejects.toThrow('no');
      await expect(failing()).rejects.toThrow('no');
      expect(attempts).toBe(2);
    } finally {
      await p.close();
    }
  });

  it('is settled only while no load or refresh is asked for or under way, a failed one included', async () => {
    const config = parsePlatformConfig({}, 'x.json', dir);
    const p = await Platform.open(join(dir, 'w.duckdb'), config, { threads: 1 });
    try {
      expect(p.settled()).toBe(true);
      // A writer holds the lock: the load asked for waits behind it, and is not settled meanwhile.
      let release!: () => void;
      const held = p.write(() => new Promise<void>((r) => (release = r)));
      const load = p.ingest(await sourceDir());
      expect(p.settled()).toBe(false);
      release();
      await held;
      expect(p.settled()).toBe(false);
      await load;
      expect(p.settled()).toBe(true);
      const refresh = p.refresh();
      expect(p.settled()).toBe(false);
      await refresh;
      expect(p.settled()).toBe(true);
      // A policy file that cannot be read fails the refresh: settled again all the same.
      await mkdir(config.policiesDir);
      await writeFile(join(config.policiesDir, '2005.json'), '{ not json');
      await expect(p.refresh()).rejects.toThrow();
      expect(p.settled()).toBe(true);
    } finally {
      await p.close();
    }
  });

  it('notices a policy file that appears or changes, and refreshes the years it applies to', async () => {
    const config = parsePlatformConfig({}, 'x.json', dir);
    const p = await Platform.open(join(dir, 'w.duckdb'), config, { threads: 1 });
    try {
      await p.ingest(await sourceDir());
      expect((await p.refresh()).refreshed).toEqual([]);
      await mkdir(config.policiesDir);
      await copyFile(join(POLICY_DIR, 'pilot-2004.json'), join(config.policiesDir, '2004.json'));
      const r = await p.refresh();
      expect(r).toMatchObject({ refreshed: [2005], policiesChanged: true });
      const t = await p.read((conn) => readIndicators(conn, { year: 2005, grain: 'county', ids: ['gap_to_target'] }));
      expect(t.rows[0]!.gap_to_target).toBe(3); // the 2004 policy's 80 % target: ⌈0.8 × 4⌉ − 1
      expect((await p.refresh()).refreshed).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('runs scheduled loads through the same load-then-refresh', async () => {
    const config = parsePlatformConfig({ settleSeconds: 0, sources: [{ dir: 'incoming', schedules: { census: '* * * * * *', enrollment: null, his: null, ledger: null, facilities: null } }] }, 'x.json', dir);
    await sourceDir();
    const p = await Platform.open(join(dir, 'w.duckdb'), config, { threads: 1 });
    const logs: string[] = [];
    try {
      p.startSchedules({ info: (m) => logs.push(m), error: (m) => logs.push(`ERROR ${m}`) });
      // Until the first scheduled run has ended, however long a busy machine makes it (the test's timeout bounds it).
      while (!logs.some((l) => l.startsWith('run #'))) await new Promise((r) => setTimeout(r, 100));
      expect(logs.find((l) => l.startsWith('run #'))).toMatch(/1 file\(s\) loaded/);
      expect(await p.staleYears()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('opens an existing database for reading, or says it is missing and creates nothing', async () => {
    const config = parsePlatformConfig({}, 'x.json', dir);
    const path = join(dir, 'missing.duckdb');
    await expect(Platform.open(path, config, { mustExist: true })).rejects.toBeInstanceOf(DatabaseMissingError);
    expect(existsSync(path)).toBe(false);
  });
});

describe('backup and restore', () => {
  it('restores a backup taken while the platform runs into an equal database, and never over one', async () => {
    const { restoreDatabase, pruneBackups, BackupError } = await import('./index.ts');
    const db = join(dir, 'w.duckdb');
    const platform = await Platform.open(db, await loadPlatformConfig(join(dir, 'none.json')));
    let backup: string;
    try {
      await platform.ingest(await sourceDir());
      await platform.write((c) => c.run(`INSERT INTO audit_log (username, action) VALUES ('wang', 'login')`));
      backup = (await platform.backup(join(dir, 'backups'))).dir;
      // Written after the snapshot: not in the backup.
      await platform.write((c) => c.run(`INSERT INTO audit_log (username, action) VALUES ('li', 'login')`));
    } finally {
      await platform.close();
    }
    const restored = join(dir, 'restored.duckdb');
    const manifest = await restoreDatabase(backup, restored);
    expect(manifest.tables.enrollment).toBe(1);
    expect(manifest.tables.audit_log).toBe(1);
    // Every table equal to the original's as of the backup, row for row (EXCEPT ALL both ways).
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    await c.run(`ATTACH '${db}' AS a (READ_ONLY); ATTACH '${restored}' AS b (READ_ONLY)`);
    const tables = (await c.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE database_name = 'a' ORDER BY 1`)).getRows().map((r) => String(r[0]));
    expect(tables.length).toBeGreaterThan(20);
    for (const t of tables) {
      if (t === 'audit_log') continue;
      const diff = await c.runAndReadAll(`SELECT count(*) FROM ((FROM a."${t}" EXCEPT ALL FROM b."${t}") UNION ALL (FROM b."${t}" EXCEPT ALL FROM a."${t}"))`);
      expect(Number(diff.getRows()[0]![0]), t).toBe(0);
    }
    // Sequences carry on after the last value: the next audit entry gets id 2 in the restored file.
    const reopened = await Platform.open(restored, await loadPlatformConfig(join(dir, 'none.json')), { mustExist: true });
    try {
      const [{ id }] = await reopened.write((w) => rows<{ id: number }>(w, `INSERT INTO audit_log (username, action) VALUES ('zhao', 'login') RETURNING id::INTEGER AS id`)) as [{ id: number }];
      expect(id).toBe(2);
    } finally {
      await reopened.close();
    }
    c.closeSync();
    await expect(restoreDatabase(backup, restored)).rejects.toThrow(BackupError);
    expect(await pruneBackups(join(dir, 'backups'), 0)).toEqual([backup]);
    expect(existsSync(backup)).toBe(false);
  });
});

describe('backup of a database opened again', () => {
  it('restores although the reopened file lists its macros alphabetically (a macro before the one it calls)', async () => {
    const { restoreDatabase } = await import('./index.ts');
    const db = join(dir, 'reopened.duckdb');
    const config = await loadPlatformConfig(join(dir, 'none.json'));
    await (await Platform.open(db, config)).close();
    // A second process's open: nothing to migrate, so the macros stay as the file lists them.
    const again = await Platform.open(db, config, { mustExist: true });
    let backup: string;
    try {
      backup = (await again.backup(join(dir, 'reopened-backups'))).dir;
    } finally {
      await again.close();
    }
    const schema = await readFile(join(backup, 'schema.sql'), 'utf8');
    const at = (name: string) => schema.indexOf(`CREATE MACRO ${name} `);
    expect(at('gb11643_check_n')).toBeGreaterThan(-1);
    expect(at('gb11643_check_n')).toBeLessThan(at('gb11643_check'));
    expect(at('yyyymmdd_ok')).toBeLessThan(at('id_birth_ok'));
    const restored = join(dir, 'reopened-restored.duckdb');
    await restoreDatabase(backup, restored);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(restored, { access_mode: 'READ_ONLY' });
    const c = await inst.connect();
    // GB 11643's check digit of 11010519491231002 is X (a published example).
    expect((await c.runAndReadAll(`SELECT gb11643_check('11010519491231002X')`)).getRows()[0]![0]).toBe('X');
    c.closeSync();
    inst.closeSync();
  });
});

describe('a disk that takes no more writes', () => {
  /** The child script in a process whose files may not grow past `kb` (RLIMIT_FSIZE; SIGXFSZ ignored, so writes fail with EFBIG). */
  async function onFullDisk(kb: number, opts: { openMustWrite?: boolean } = {}): Promise<Record<string, unknown> & { before: { n: number }[] }> {
    const db = join(dir, 'w.duckdb');
    const p = await Platform.open(db, parsePlatformConfig({}, join(dir, 'none.json')));
    await p.ingest(await sourceDir());
    // As a database last opened by an older macros file: the next open applies them again.
    if (opts.openMustWrite) await p.write((c) => c.run("UPDATE warehouse_macros SET file_hash = 'an older macros.sql'"));
    await p.close();
    const script = join(import.meta.dirname, 'test-support', 'write-on-full-disk.ts');
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f ${kb * 2}; exec "$0" --import tsx "$@"`, process.execPath, script, db], { encoding: 'utf8', cwd: join(import.meta.dirname, '..') });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  }
  const probeRuns = async () => {
    const again = await Platform.open(join(dir, 'w.duckdb'), parsePlatformConfig({}, join(dir, 'none.json')));
    try {
      return await again.read((c) => rows(c, `SELECT status FROM pipeline_runs WHERE source_dir = '/probe'`));
    } finally {
      await again.close();
    }
  };

  it('a checkpoint refused: the database is opened again read-only, reads go on with everything committed, writes are refused saying why', async () => {
    // 128 KB: the log takes the small write; the database file (MBs) cannot take its checkpoint.
    const out = await onFullDisk(128);
    expect(out.openedReadOnly).toBeNull();
    expect(out.checkpoint).toMatchObject({ name: 'StorageError', message: expect.stringMatching(/^数据库无法写入（文件超出系统允许的大小）/) });
    expect(out.readOnly).toMatch(/服务已转为只读，查询照常/);
    // The committed insert is read back (from the log) by the read-only database.
    expect(out.after).toEqual([{ n: out.before[0]!.n + 1 }]);
    expect(out.nextWrite).toMatchObject({ name: 'StorageError', message: expect.stringMatching(/重启服务/) });
    // Restarted with room: the log is replayed, nothing lost.
    expect(await probeRuns()).toEqual([{ status: 'ok' }]);
  });

  it('no room even for the open\'s own writes (macros to apply again): the database opens read-only and answers reads', async () => {
    const out = await onFullDisk(4, { openMustWrite: true });
    expect(out.openedReadOnly).toMatch(/^数据库无法写入（文件超出系统允许的大小）.*服务已转为只读/);
    expect(out.before[0]!.n).toBeGreaterThan(0);
    expect(out.checkpoint).toMatchObject({ name: 'StorageError' });
    expect(out.after).toEqual(out.before);
    expect(await probeRuns()).toEqual([]);
  });
});
