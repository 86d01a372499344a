import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ExcelJS from 'exceljs';
import { openWarehouse, query } from '@ncms/warehouse';

const BIN = join(import.meta.dirname, '..', 'bin', 'ncms.js');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ncms(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(relative(root, join(e.parentPath, e.name)));
  return out.sort();
}

async function sheetValues(path: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return rows;
}

describe('ncms generate', () => {
  it('writes the same bytes for the same seed, and a different county for another seed', async () => {
    for (const [name, seed] of [['a', '7'], ['b', '7'], ['c', '8']] as const) {
      const r = ncms(['generate', '--out', join(dir, name), '--seed', seed, '--scale', '0.02', '--years', '2004-2005']);
      expect(r.code, r.stderr).toBe(0);
    }
    const files = await listFiles(join(dir, 'a'));
    expect(files).toEqual(await listFiles(join(dir, 'b')));
    expect(files.filter((f) => f.endsWith('.parquet'))).toHaveLength(2);
    for (const f of files) {
      if (f.endsWith('.xlsx')) expect(await sheetValues(join(dir, 'a', f))).toEqual(await sheetValues(join(dir, 'b', f)));
      else expect((await readFile(join(dir, 'a', f))).equals(await readFile(join(dir, 'b', f))), f).toBe(true);
    }
    const a = await readFile(join(dir, 'a', 'enrollment', 'enrollment-2004.csv'));
    const c = await readFile(join(dir, 'c', 'enrollment', 'enrollment-2004.csv'));
    expect(a.equals(c)).toBe(false);
  });

  it('refuses bad options with exit 2 and one line per problem', () => {
    const r = ncms(['generate', '--scale=0', '--years', '2006-2004']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toMatch(/--out/);
    expect(r.stderr).toMatch(/--scale/);
    expect(r.stderr).toMatch(/--years/);
    expect(ncms(['ingest', '--bogus', 'x']).code).toBe(2);
    expect(ncms(['frobnicate']).code).toBe(2);
  });
});

describe('ncms ingest', () => {
  it('loads the generated county, exits 3 for its bad file, then 0 with nothing new', async () => {
    const db = join(dir, 'county.duckdb');
    const first = ncms(['ingest', '--db', db, join(dir, 'a')]);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toMatch(/缺少必需的列：reimbursed/);
    const second = ncms(['ingest', '--db', db, join(dir, 'a')]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0 loaded, \d+ unchanged, 0 rejected \(\+1 rejected earlier\)/);
    const wh = await openWarehouse(db, { readOnly: true });
    try {
      const [census] = await query<{ n: number }>(wh.conn, 'SELECT count(DISTINCT year) n FROM census');
      expect(census!.n).toBe(2);
    } finally {
      wh.close();
    }
  });

  it('computes indicators, audit and what-if on the loaded county', async () => {
    const db = join(dir, 'county.duckdb');
    const policy2004 = join(import.meta.dirname, '..', '..', 'sample-county', 'policies', 'pilot-2004.json');
    const ind = ncms(['indicators', '--db', db, '--year', '2004', '--by', 'county', '--policy', policy2004, '--format', 'json']);
    expect(ind.code, ind.stderr).toBe(0);
    const [row] = JSON.parse(ind.stdout);
    const wh = await openWarehouse(db, { readOnly: true });
    let enrolled: number;
    try {
      enrolled = (await query<{ n: number }>(wh.conn, 'SELECT count(*) n FROM enrollment WHERE year = 2004'))[0]!.n;
    } finally {
      wh.close();
    }
    expect(row.enrollees).toBe(enrolled);
    expect(row.division_code).toBe('410523');
    // The generator settled 2004 with the same policy through the TypeScript engine, apart from a few
    // deliberate errors: the database's compiled SQL must find almost every claim right.
    const sim = ncms(['simulate', '--db', db, '--year', '2004', '--policy', policy2004, '--format', 'json']);
    expect(sim.code, sim.stderr).toBe(0);
    const s = JSON.parse(sim.stdout);
    expect(s.coefficient).toBeGreaterThan(0.99);
    expect(s.coefficient).toBeLessThan(1.01);
    const audit = ncms(['audit', '--db', db, '--year', '2004', '--policy', policy2004]);
    expect(audit.code, audit.stderr).toBe(0);
    const flagged = audit.stdout.trim().split('\n').slice(1).filter((l) => /paid/.test(l));
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.length).toBeLessThan(s.claims * 0.01);
  });

  it('exits 4 at once when another process holds the database', async () => {
    const db = join(dir, 'held.duckdb');
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(${JSON.stringify(db)}); await (await i.connect()).run('select 1'); console.log('ready'); setTimeout(() => {}, 30000);`],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(import.meta.dirname, '..') },
    );
    try {
      await new Promise<void>((res) => holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && res()));
      const r = ncms(['ingest', '--db', db, join(dir, 'a')]);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(new RegExp(`PID ${holder.pid}`));
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('leaves the database as it was when killed in the middle of a file, and the next run loads it whole', async () => {
    const src = join(dir, 'crash');
    await mkdir(join(src, 'census'), { recursive: true });
    await cp(join(dir, 'a', 'census'), join(src, 'census'), { recursive: true });
    const db = join(dir, 'crash.duckdb');
    expect(ncms(['ingest', '--db', db, src]).code).toBe(0);
    await cp(join(dir, 'a', 'enrollment', 'enrollment-2004.csv'), join(src, 'enrollment', 'roll.csv'));
    const marker = join(dir, 'paused');
    const child = spawn(process.execPath, [BIN, 'ingest', '--db', db, src], { env: { ...process.env, NCMS_TEST_PAUSE_BEFORE_COMMIT: marker }, stdio: 'ignore' });
    const exited = new Promise((res) => child.on('exit', res));
    const deadline = Date.now() + 60_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    child.kill('SIGKILL');
    await exited;

    const check = async () => {
      const wh = await openWarehouse(db, { readOnly: true });
      try {
        return (await query<{ e: number; b: number }>(wh.conn, `SELECT (SELECT count(*) FROM enrollment) e, (SELECT count(*) FROM batches WHERE kind = 'enrollment') b`))[0]!;
      } finally {
        wh.close();
      }
    };
    expect(await check()).toEqual({ e: 0, b: 0 });
    const again = ncms(['ingest', '--db', db, src]);
    expect(again.code, again.stderr).toBe(0);
    // Every data line of the roll either loaded or was quarantined.
    const lines = (await readFile(join(src, 'enrollment', 'roll.csv'), 'utf8')).trim().split('\n').length - 1;
    const loaded = Number(/enrollment 参合花名册\s+1\s+(\d+)/.exec(again.stdout)![1]);
    const quarantined = Number(/enrollment 参合花名册\s+1\s+\d+\s+0\s+0\s+(\d+)/.exec(again.stdout)![1]);
    expect(loaded + quarantined).toBe(lines);
    expect((await check()).e).toBe(loaded);
  });
});

describe('ncms --help', () => {
  it('lists the commands', () => {
    const r = ncms(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['demo', 'generate', 'ingest', 'schedule']) expect(r.stdout).toContain(c);
    expect(ncms(['ingest', '--help']).stdout).toMatch(/ncms ingest/);
  });
});

