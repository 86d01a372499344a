/**
 * `ncms` end to end: the real command in a child process, on real files and databases in a
 * temp directory that is also its working directory. Every test makes what it needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { BIN, POLICIES, dbRows, ncmsIn, sharedSmallCounty } from './support.ts';
import { displayWidth } from '../src/cli-kit.ts';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ExcelJS from 'exceljs';

const POLICY_2004 = join(POLICIES, 'pilot-2004.json');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ncms = (args: string[], env: NodeJS.ProcessEnv = {}) => ncmsIn(dir)(args, env);

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(relative(root, join(e.parentPath, e.name)));
  return out.sort();
}

async function sheetValues(path: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const values: unknown[][] = [];
  wb.worksheets[0]!.eachRow((r) => values.push((r.values as unknown[]).slice(1)));
  return values;
}


/** The small generated county, made once for the run (read it, never write into it). */
async function smallCounty(): Promise<string> {
  return (await sharedSmallCounty(dir)).county;
}

/** A database of this file's own with the small county loaded under the sample policies. */
async function loadedDb(name: string): Promise<string> {
  return (await sharedSmallCounty(dir)).loaded(dir, name);
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
});

describe('options', () => {
  it('are all checked at once, one line per problem in Chinese with English, exit 2', () => {
    const r = ncms(['generate', '--scale=-1', '--years', '2006-2004', '--bogus', 'x']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(5); // scale, years, bogus, out, and the usage line
    expect(lines[0]).toMatch(/^--scale 应为大于 0.*\(a number above 0.*\(got "-1"\)$/);
    expect(lines.find((l) => l.startsWith('未知选项 --bogus (unknown option)'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('--out DIR 是必需的 (required'))).toBeDefined();
    expect(lines.at(-1)).toMatch(/^用法 usage: ncms generate/);
    expect(ncms(['demo', '--port', 'abc']).stderr).toMatch(/--port 应为 1 到 65535 之间的整数/);
    expect(ncms(['demo', '--port', 'abc']).code).toBe(2);
    expect(ncms(['ingest', '--bogus', 'x']).code).toBe(2);
    expect(ncms(['frobnicate']).code).toBe(2);
    expect(ncms(['indicators', '--year', '2005', '--fresh=1']).stderr).toMatch(/--fresh 是开关/);
  });

  it('are listed by --help with their defaults and the exit codes, for every command', () => {
    const all = ncms(['--help']);
    expect(all.code).toBe(0);
    const names = [...all.stdout.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(['demo', 'generate', 'ingest', 'refresh', 'indicators', 'audit', 'simulate', 'compensate', 'policy-schema', 'serve']));
    for (const name of names) {
      const h = ncms([name, '--help']);
      expect(h.code, name).toBe(0);
      expect(h.stdout, name).toMatch(new RegExp(`^ncms ${name} — `));
      expect(h.stdout, name).toMatch(/退出码 exit codes: 0 成功 \(ok\)/);
    }
    const ind = ncms(['indicators', '--help']).stdout;
    expect(ind).toMatch(/--by county\|township\|village\|facility\s+单位层级（facility：按医疗机构，医疗机构监管） \(the level of the units \(facility: per facility, for supervision\)\)；默认 \(default\) township/);
    expect(ind).toMatch(/--year Y\s+年度 \(the scheme year\)；必需 \(required\)/);
  });
});

describe('ncms ingest', () => {
  it('loads the generated county and its analytics, exits 3 for its bad file, then 0 with nothing new', async () => {
    const db = join(dir, 'ingest.duckdb');
    const src = await smallCounty();
    const first = ncms(['ingest', '--db', db, '--policies', POLICIES, src]);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toMatch(/缺少必需的列：reimbursed/);
    // the kinds table lines up in a terminal, Chinese titles included: every count column starts where its header does
    const table = first.stdout.split('\n').filter((l) => /^(类别 kind|\S+ (census|facilities|enrollment|his|ledger)) /.test(l));
    expect(table).toHaveLength(6);
    const starts = (l: string) => [...l.matchAll(/(?<=\s)\S/g)].map((m) => displayWidth(l.slice(0, m.index)));
    for (const l of table.slice(1)) expect(starts(l)).toEqual(expect.arrayContaining([31, 43, 56, 71, 89]));
    expect(starts(table[0]!)).toEqual(expect.arrayContaining([31, 43, 56, 71, 89]));
    expect(first.stderr).toMatch(/分析表已更新 analytics refreshed: 2004, 2005/);
    const second = ncms(['ingest', '--db', db, '--policies', POLICIES, src]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0 loaded, \d+ unchanged, 0 rejected \(\+1 rejected earlier\)/);
    expect(second.stderr).not.toMatch(/分析表已更新/);
    expect(await dbRows(db, 'SELECT count(DISTINCT year) AS n FROM census')).toEqual([{ n: 2 }]);
    expect(await dbRows(db, `SELECT year FROM derived_refresh WHERE table_name = 'analytics_year' ORDER BY year`)).toEqual([{ year: 2004 }, { year: 2005 }]);
  });
});

describe('read commands', () => {
  let db: string;
  beforeAll(async () => {
    db = await loadedDb('read');
  });

  it('print indicators from the analytics tables, equal to a fresh computation', async () => {
    const args = ['indicators', '--db', db, '--policies', POLICIES, '--year', '2004', '--by', 'township', '--format', 'json'];
    const prepared = ncms(args);
    expect(prepared.code, prepared.stderr).toBe(0);
    const fresh = ncms([...args, '--fresh']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(JSON.parse(fresh.stdout)).toEqual(JSON.parse(prepared.stdout));
    const [row] = JSON.parse(ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2004', '--by', 'county', '--format', 'json']).stdout);
    const [enrolled] = await dbRows<{ n: number }>(db, 'SELECT count(*) AS n FROM enrollment WHERE year = 2004');
    expect(row.enrollees).toBe(enrolled!.n);
    expect(row.division_code).toBe('410523');
    expect(typeof row.payouts_total).toBe('string'); // money stays exact text in JSON
    // The same policy given as a file: read from the analytics tables, no note.
    const same = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2004', '--by', 'county', '--policy', POLICY_2004, '--format', 'json']);
    expect(JSON.parse(same.stdout)).toEqual([row]);
    expect(same.stderr).not.toMatch(/按 .* 计算/);
  });

  it('print Chinese headers with a BOM for Excel, and lists as codes joined by ;', () => {
    const r = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2004', '--by', 'county', '--labels', 'zh', '--ids', 'enrollees,funds_by_source,warnings']);
    expect(r.code, r.stderr).toBe(0);
    const [header] = r.stdout.split('\n');
    expect(header).toBe('\uFEFF年度,级别,区划代码,名称,参合人数,分来源筹资（个人缴费）,分来源筹资（中央补助）,分来源筹资（省级补助）,分来源筹资（县级补助）,分来源筹资（民政资助）,预警');
    const codes = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2004', '--by', 'county', '--ids', 'warnings']);
    expect(codes.stdout.split('\n')[1]).toMatch(/^2004,county,410523,[^,]+,(surplus_negative|surplus_high|cumulative_high|projected_deficit)(;[a-z_]+)*$/);
  });

  it('make the report dated --date (else today in the county time zone), refusing a malformed date', () => {
    const out = join(dir, 'dated.docx');
    const r = ncms(['report', '--db', db, '--policies', POLICIES, '--year', '2004', '--date', '2005-01-20', '--format', 'docx', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const xml = spawnSync('unzip', ['-p', out, 'word/document.xml'], { encoding: 'utf8' }).stdout;
    expect(xml).toContain('2005年1月20日');
    const bad = ncms(['report', '--db', db, '--policies', POLICIES, '--year', '2004', '--date', '2005-1-20', '--format', 'docx', '--out', join(dir, 'bad.docx')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--date 应为 YYYY-MM-DD/);
  });

  it('give quarters and months, and refuse an unknown indicator with exit 2', () => {
    const q = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2005', '--by', 'county', '--period', '2005Q1', '--ids', 'inpatient_stays,payouts_total', '--format', 'json']);
    expect(q.code, q.stderr).toBe(0);
    const months = JSON.parse(ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2005', '--by', 'county', '--series', 'monthly', '--ids', 'inpatient_stays', '--format', 'json']).stdout);
    const firstQuarter = months.filter((m: { month: string }) => m.month <= '2005-03').reduce((a: number, m: { inpatient_stays: number }) => a + m.inpatient_stays, 0);
    expect(JSON.parse(q.stdout)[0].inpatient_stays).toBe(firstQuarter);
    const bad = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2005', '--ids', 'no_such_thing']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/未知指标 \(unknown indicator\): no_such_thing/);
  });

  it('audit and what-if agree with the generator, which settled with the same rules', () => {
    // The generator settled 2004 with the same policy through the TypeScript engine, apart from a few
    // deliberate errors: the database's compiled SQL must find almost every claim right.
    const sim = ncms(['simulate', '--db', db, '--policies', POLICIES, '--year', '2004', '--policy', POLICY_2004, '--format', 'json']);
    expect(sim.code, sim.stderr).toBe(0);
    const s = JSON.parse(sim.stdout);
    expect(s.coefficient).toBeGreaterThan(0.99);
    expect(s.coefficient).toBeLessThan(1.01);
    const audit = ncms(['audit', '--db', db, '--policies', POLICIES, '--year', '2004', '--policy', POLICY_2004]);
    expect(audit.code, audit.stderr).toBe(0);
    const flagged = audit.stdout.trim().split('\n').slice(1).filter((l) => /paid/.test(l));
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.length).toBeLessThan(s.claims * 0.01);
    expect(audit.stderr).toMatch(/审核 2004: \d+ 笔结算已重算/);
    // in Chinese: the office's headers, findings as the office writes them, a BOM for Excel; the same rows
    const zh = ncms(['audit', '--db', db, '--policies', POLICIES, '--year', '2004', '--policy', POLICY_2004, '--labels', 'zh']);
    expect(zh.stdout.startsWith('\uFEFF')).toBe(true);
    const lines = zh.stdout.trim().split('\n');
    expect(lines[0]).toBe('结算单号,身份证号,机构编码,类型,出院（就诊）日期,应补偿金额,实际补偿金额,差额,审核结论');
    expect(lines.length).toBe(audit.stdout.trim().split('\n').length);
    expect(lines.filter((l) => /少付|多付/.test(l)).length).toBe(flagged.length);
    expect(zh.stdout).not.toMatch(/underpaid|overpaid|inpatient/);
  });

  it('audit --rules lists the audit rules\' findings ranked by amount at stake, masked, pending, and --code keeps one rule', () => {
    const r = ncms(['audit', '--rules', '--db', db, '--policies', POLICIES, '--year', '2005', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { code: string; zh: string; claim_id: string; person_id: string; amount_at_stake: string; evidence: object; state: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]!)).toEqual(['code', 'zh', 'claim_id', 'person_id', 'facility_code', 'village_code', 'discharge_date', 'amount_at_stake', 'evidence', 'state']);
    const stakes = rows.map((x) => Math.round(Number(x.amount_at_stake) * 100));
    expect(stakes).toEqual([...stakes].sort((a, b) => b - a));
    expect(rows.every((x) => /^\d{6}\*{8}\d{3}[\dX]$/.test(x.person_id) && x.state === 'pending' && typeof x.evidence === 'object')).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`审核规则 2005: ${rows.length} 条发现`));
    const code = rows[0]!.code;
    const one = ncms(['audit', '--rules', '--db', db, '--policies', POLICIES, '--year', '2005', '--code', code]);
    expect(one.code, one.stderr).toBe(0);
    const lines = one.stdout.trim().split('\n');
    expect(lines[0]).toBe('code,zh,claim_id,person_id,facility_code,village_code,discharge_date,amount_at_stake,evidence,state');
    expect(lines.length - 1).toBe(rows.filter((x) => x.code === code).length);
    const bad = ncms(['audit', '--rules', '--db', db, '--policies', POLICIES, '--year', '2005', '--code', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--code.*over_cap/);
    const noPolicy = ncms(['audit', '--db', db, '--policies', POLICIES, '--year', '2005']);
    expect(noPolicy.code).toBe(2);
    expect(noPolicy.stderr).toMatch(/--policy 为必填项/);
  });

  it('end quietly when the reader closes the pipe', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" indicators --db "${db}" --policies "${POLICIES}" --year 2004 --by village | head -1`], { encoding: 'utf8', cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^year,level,division_code,name,/);
    expect(r.stderr).not.toMatch(/Error|EPIPE|at /);
  });

  it('print the header only for a year with no data, even in a database nothing was ever loaded into', async () => {
    const empty = join(dir, 'empty-in');
    await mkdir(empty, { recursive: true });
    const fresh = join(dir, 'empty.duckdb');
    expect(ncms(['ingest', '--db', fresh, empty]).code).toBe(0);
    for (const args of [['--year', '2004'], ['--year', '2004', '--by', 'facility'], ['--year', '2004', '--series', 'monthly']]) {
      const r = ncms(['indicators', '--db', fresh, ...args]);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toMatch(/^year,level,/);
    }
    const year1999 = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '1999']);
    expect(year1999.code).toBe(0);
    expect(year1999.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('say so when the database does not exist, and create nothing', () => {
    const missing = join(dir, 'no-such.duckdb');
    const r = ncms(['indicators', '--db', missing, '--year', '2004']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/数据库文件不存在/);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('the database', () => {
  it('held by another process: exit 4 at once, naming it', async () => {
    // The holder keeps its instance reachable: a collected instance would release the lock.
    const db = join(dir, 'held.duckdb');
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(${JSON.stringify(db)}); const c = await i.connect(); await c.run('select 1'); globalThis.held = [i, c]; console.log('ready'); setTimeout(() => {}, 60000);`],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(import.meta.dirname, '..') },
    );
    try {
      await new Promise<void>((res) => holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && res()));
      // "At once" on this machine as it is now: about as long as a command that opens a database
      // and stops there (one that does not exist), not the holder's minute, nor a retry's seconds.
      const timed = (args: string[]) => {
        const started = Date.now();
        return { ...ncms(args), ms: Date.now() - started };
      };
      const missing = timed(['indicators', '--db', join(dir, 'missing.duckdb'), '--year', '2005']);
      expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/数据库文件不存在/)]);
      const r = timed(['ingest', '--db', db, dir]);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(new RegExp(`PID ${holder.pid}`));
      expect(holder.exitCode).toBeNull();
      expect(r.ms).toBeLessThan(2 * missing.ms + 5_000);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('is as it was when a load is killed in the middle of a file, and the next run loads it whole', async () => {
    const src = join(dir, 'crash');
    const from = await smallCounty();
    await mkdir(join(src, 'census'), { recursive: true });
    await cp(join(from, 'census'), join(src, 'census'), { recursive: true });
    const db = join(dir, 'crash.duckdb');
    expect(ncms(['ingest', '--db', db, src]).code).toBe(0);
    await cp(join(from, 'enrollment', 'enrollment-2004.csv'), join(src, 'enrollment', 'roll.csv'));
    const marker = join(dir, 'paused');
    const child = spawn(process.execPath, [BIN, 'ingest', '--db', db, src], { cwd: dir, env: { ...process.env, NCMS_TEST_PAUSE_BEFORE_COMMIT: marker }, stdio: 'ignore' });
    const exited = new Promise((res) => child.on('exit', res));
    // Until the load reaches its pause point (or ends without reaching it, which fails below).
    while (!existsSync(marker) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    child.kill('SIGKILL');
    await exited;

    const check = async () => (await dbRows<{ e: number; b: number }>(db, `SELECT (SELECT count(*) FROM enrollment) e, (SELECT count(*) FROM batches WHERE kind = 'enrollment') b`))[0]!;
    expect(await check()).toEqual({ e: 0, b: 0 });
    const again = ncms(['ingest', '--db', db, src]);
    expect(again.code, again.stderr).toBe(0);
    // Every data line of the roll either loaded or was quarantined.
    const lines = (await readFile(join(src, 'enrollment', 'roll.csv'), 'utf8')).trim().split('\n').length - 1;
    const loaded = Number(/参合花名册 enrollment\s+1\s+(\d+)/.exec(again.stdout)![1]);
    const quarantined = Number(/参合花名册 enrollment\s+1\s+\d+\s+0\s+0\s+(\d+)/.exec(again.stdout)![1]);
    expect(loaded + quarantined).toBe(lines);
    expect((await check()).e).toBe(loaded);
  });
});
