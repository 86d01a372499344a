/**
 * What a newcomer meets in the first hour, on a county small enough to compute by hand: the
 * Excel-ready `--labels zh` CSV (rates as percentages, money with two decimals, counts whole),
 * `--ids` by an output column's own name and the near names of a typo, and accounts listed with
 * their township's name beside its code.
 *
 * The county: one village of 城关镇 with 3 agricultural residents, 2 of them enrolled for 2005;
 * one of them stayed twice at the township health centre: 3 days (100.00 元 paid) and 4 days
 * (0.05 元 paid).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeId } from '@ncms/sample-county';
import { openWarehouse } from '@ncms/warehouse';
import { POLICIES, addAccount, ncmsIn } from './support.ts';

let dir: string;
let db: string;
const ncms = (args: string[], input?: string) => ncmsIn(dir)(args, {}, input);
const A = makeId('410523', '19700101', 11);
const B = makeId('410523', '19720202', 22);

async function write(path: string, lines: string[]): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, lines.join('\n') + '\n');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-first-hour-'));
  const src = join(dir, 'source');
  await write(join(src, 'census', 'census-2005.csv'), [
    'year,division_code,township_name,village_name,households,population,agricultural_population,per_capita_net_income',
    '2005,410523100201,城关镇,东关村,2,3,3,2000.00',
  ]);
  await write(join(src, 'facilities', 'facilities.csv'), ['facility_code,facility_name,level,in_county,designated,division_code', 'H1,城关镇卫生院,乡镇卫生院,是,是,410523100']);
  await write(join(src, 'enrollment', 'enrollment-2005.csv'), [
    'year,person_id,name,household_id,division_code,category,individual_paid,subsidy_paid,receipt_no,enrolled_on',
    `2005,${A},张三,H0001,410523100201,一般,10.00,0.00,R1,2004-11-20`,
    `2005,${B},李四,H0002,410523100201,一般,10.00,0.00,R2,2004-11-21`,
  ]);
  await write(join(src, 'his', 'his-2005.csv'), [
    'claim_id,person_id,name,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed',
    `C1,${A},张三,H1,住院,2005-03-01,2005-03-04,400.00,100.00,400.00,100.00`,
    `C2,${A},张三,H1,住院,2005-06-01,2005-06-05,300.00,100.00,300.00,0.05`,
  ]);
  db = join(dir, 'ncms.duckdb');
  const r = ncms(['ingest', '--db', db, '--policies', POLICIES, src]);
  if (r.code !== 0) throw new Error(`ingest: ${r.code} ${r.stdout} ${r.stderr}`);
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The CSV's header and first data row as a header → cell map. */
function firstRow(csv: string): Record<string, string> {
  const [header, row] = csv.replace(/^\uFEFF/, '').trim().split('\n');
  const cells = row!.split(',');
  return Object.fromEntries(header!.split(',').map((h, i) => [h, cells[i]!]));
}

const IDS = 'enrollees,participation_rate,inpatient_stays,inpatient_rate,inpatient_payout,avg_inpatient_payout,avg_length_of_stay';

describe('ncms indicators --labels zh', () => {
  it('writes rates as percentages, money with two decimals and counts whole, as Excel reads them', () => {
    const r = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2005', '--by', 'county', '--ids', IDS, '--labels', 'zh']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('\uFEFF')).toBe(true);
    expect(firstRow(r.stdout)).toMatchObject({
      参合人数: '2',
      参合率: '66.7%', // 2 enrolled ÷ 3 residents = 0.6667
      住院人次: '2',
      住院率: '100.0%', // 2 stays ÷ 2 enrollees
      住院补偿: '100.05', // 100.00 + 0.05
      次均住院补偿: '50.03', // 100.05 ÷ 2 = 50.025, half up to the fen
      平均住院日: '3.5', // (3 + 4) ÷ 2
    });
  });

  it('leaves the machine output as the spec says: rates as fractions, money as exact text', () => {
    const csv = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2005', '--by', 'county', '--ids', IDS, '--format', 'csv']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(firstRow(csv.stdout)).toMatchObject({ enrollees: '2', participation_rate: String(2 / 3), inpatient_rate: '1', inpatient_payout: '100.05', avg_inpatient_payout: '50.03', avg_length_of_stay: '3.5' });
    const json = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2005', '--by', 'county', '--ids', IDS, '--format', 'json']);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ enrollees: 2, participation_rate: 2 / 3, inpatient_payout: '100.05' });
  });
});

describe('ncms indicators --ids', () => {
  it('selects one column of a family by its output name', () => {
    const r = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2005', '--by', 'county', '--ids', 'underpaid_count,large_payouts_ge_2000,enrollees', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout) as Record<string, unknown>[];
    // catalogue order; the family's other columns (underpaid_amount, the other thresholds) left out
    expect(Object.keys(row!)).toEqual(['year', 'level', 'division_code', 'name', 'enrollees', 'large_payouts_ge_2000', 'underpaid_count']);
    expect(row!.large_payouts_ge_2000).toBe(0); // nobody was paid 2,000 元 or more
  });

  it('answers a name it does not know with the names near it, exit 2', () => {
    const r = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2005', '--by', 'county', '--ids', 'underpaid_cnt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/未知指标 \(unknown indicator\): underpaid_cnt（相近的有 did you mean: underpaid_count[,）]/);
    const far = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2005', '--by', 'county', '--ids', 'zzzzzzzzzzzz']);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/zzzzzzzzzzzz（没有相近的名称/);
  });
});

describe('ncms user list', () => {
  it('names the township beside its code, and says when the census does not know the code', async () => {
    addAccount(dir, db, 'chengguan', 'township', 'a-long-password-1', ['--township', '410523100']);
    // An account is made only for a township the data knows; one whose township later left the
    // census (a merged township, a corrected roll) is what the second line shows.
    addAccount(dir, db, 'elsewhere', 'township', 'a-long-password-1', ['--township', '410523100']);
    const wh = await openWarehouse(db);
    try {
      await wh.write((c) => c.run(`UPDATE app_user SET township = '410523999' WHERE username = 'elsewhere'`));
    } finally {
      wh.close();
    }
    const r = ncms(['user', 'list', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(lines.find((l) => l[0] === 'chengguan')?.[2]).toBe('城关镇（410523100）');
    expect(lines.find((l) => l[0] === 'elsewhere')?.[2]).toBe('410523999（不在人口统计中）');
  });
});
