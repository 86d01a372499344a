/**
 * A synthetic county in the layout of spec/extracts.md: census, facility registry,
 * enrolment rolls, settled hospital visits and the fund ledger, plus a few bad rows
 * and one bad file on purpose. Deterministic: the same seed and scale give the same
 * bytes (CSV, Parquet) and the same cell values (XLSX).
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Random } from './random.ts';
import { SURNAMES, GIVEN, TOWN_NAMES, VILLAGE_SUFFIX, DIAGNOSES } from './names.ts';
import { makeId, toOld15, breakCheck } from './ids.ts';
import { CsvSink, writeGbkCsv, writeXlsx, csvToParquet } from './sinks.ts';
import { POLICY_DIR } from './policies.ts';
import { townshipGeoJson } from './map.ts';
import { CATEGORY, FACILITY_LEVEL, compensate, fen, parsePolicy, yuan as yuanBig, type Category, type Claim, type FacilityLevel as Level, type Policy } from '@ncms/rules';

export interface GenerateOptions {
  out: string;
  seed?: number;
  scale?: number;
  years?: [number, number];
  onProgress?: (msg: string) => void;
}

export interface GenerateResult {
  files: string[];
  villages: number;
  townships: number;
  agriculturalPopulation: number;
  enrollees: Record<number, number>;
  claims: Record<number, number>;
}

export const COUNTY_CODE = '410523';
const COUNTY_NAME = '示例县';

interface Person {
  id: string;
  name: string;
  household: string;
  village: number;
  category: Category;
  old15: boolean;
}
interface Village {
  code: string;
  name: string;
  township: number;
  persons: number[];
  households: number;
}
interface Township {
  code: string;
  name: string;
  baseRate: number;
  income: number;
}
interface Facility {
  code: string;
  name: string;
  level: Level;
  inCounty: boolean;
  designated: boolean;
  division: string;
}

/** The example policies: each year is settled under the latest one not after it. */
async function loadPolicies(): Promise<Policy[]> {
  const files = (await readdir(POLICY_DIR)).filter((f) => f.endsWith('.json')).sort();
  const ps = await Promise.all(files.map(async (f) => parsePolicy(JSON.parse(await readFile(join(POLICY_DIR, f), 'utf8')), f)));
  return ps.sort((a, b) => a.year - b.year);
}
function policyFor(ps: Policy[], year: number): Policy | undefined {
  return [...ps].reverse().find((p) => p.year <= year) ?? ps[0];
}

/** Amounts are integer fen; printed as 元 with two decimals, exactly. */
const yuan = (f: number): string => yuanBig(BigInt(f));
function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * 86_400_000);
}

function buildCounty(r: Random, scale: number) {
  const townshipCount = scale >= 1 ? 13 : Math.max(2, Math.round(13 * scale));
  const villageCount = Math.max(townshipCount, Math.round(160 * scale));
  const townships: Township[] = [];
  for (let t = 0; t < townshipCount; t++) {
    const isTown = t < 7;
    townships.push({
      code: `${COUNTY_CODE}${isTown ? 100 + t : 200 + t}`,
      name: `${TOWN_NAMES[t % TOWN_NAMES.length]}${t >= TOWN_NAMES.length ? Math.floor(t / TOWN_NAMES.length) + 1 : ''}${isTown ? '镇' : '乡'}`,
      baseRate: 0.58 + r.next() * 0.3,
      income: 180_000 + r.int(0, 160_000), // fen per capita
    });
  }
  const villages: Village[] = [];
  const persons: Person[] = [];
  const seqByBirth = new Map<string, number>();
  for (let v = 0; v < villageCount; v++) {
    const township = v % townshipCount;
    const inTown = Math.floor(v / townshipCount);
    const code = `${townships[township]!.code}${String(200 + inTown).padStart(3, '0')}`;
    const village: Village = {
      code,
      name: `${r.pick(SURNAMES)}${r.pick(['家', '王', '李', '新', '前', '后', '东', '西'])}${r.pick(VILLAGE_SUFFIX)}`,
      township,
      persons: [],
      households: 0,
    };
    const target = Math.round(r.logNormal(1300, 0.35));
    let h = 0;
    while (village.persons.length < target) {
      h++;
      const household = `${code}${String(h).padStart(4, '0')}`;
      const size = r.weighted([[1, 8], [2, 20], [3, 24], [4, 26], [5, 14], [6, 8]] as const);
      const surname = r.pick(SURNAMES);
      const hardship = r.weighted<Category>([['general', 92.5], ['dibao', 3.5], ['poor', 2], ['disabled', 1], ['wubao', 0.7], ['tekun', 0.3]]);
      for (let m = 0; m < size; m++) {
        const age = m < 2 ? r.int(25, 80) : r.int(0, 30);
        const birth = new Date(Date.UTC(2004 - age, r.int(0, 11), r.int(1, 28)));
        const b8 = iso(birth).replace(/-/g, '');
        const male = r.chance(0.51);
        const n = (seqByBirth.get(b8) ?? r.int(0, 20)) + 1;
        seqByBirth.set(b8, n);
        const seq = ((n * 2 + (male ? 1 : 0)) % 1000) || 1;
        const given = r.chance(0.6) ? r.pick(GIVEN) + r.pick(GIVEN) : r.pick(GIVEN);
        const category = m === 0 || hardship === 'wubao' || hardship === 'dibao' ? hardship : 'general';
        persons.push({
          id: makeId(COUNTY_CODE, b8, seq),
          name: surname + given,
          household,
          village: v,
          category,
          old15: age >= 50 && r.chance(0.01),
        });
        village.persons.push(persons.length - 1);
      }
    }
    village.households = h;
    villages.push(village);
  }
  return { townships, villages, persons };
}

function buildFacilities(townships: Township[]): Facility[] {
  const f: Facility[] = townships.map((t, i) => ({
    code: `H${COUNTY_CODE}${String(i + 1).padStart(5, '0')}`,
    name: `${t.name}卫生院`,
    level: 'township',
    inCounty: true,
    designated: true,
    division: t.code,
  }));
  f.push(
    { code: `H${COUNTY_CODE}10001`, name: `${COUNTY_NAME}人民医院`, level: 'county', inCounty: true, designated: true, division: townships[0]!.code },
    { code: `H${COUNTY_CODE}10002`, name: `${COUNTY_NAME}中医院`, level: 'county', inCounty: true, designated: true, division: townships[0]!.code },
    { code: `H${COUNTY_CODE}10003`, name: `${COUNTY_NAME}妇幼保健院`, level: 'county', inCounty: true, designated: true, division: townships[0]!.code },
    { code: 'H41050000011', name: '示例市中心医院', level: 'city', inCounty: false, designated: true, division: '' },
    { code: 'H41050000012', name: '示例市第二人民医院', level: 'city', inCounty: false, designated: true, division: '' },
    { code: 'H41000000001', name: '省人民医院', level: 'provincial', inCounty: false, designated: true, division: '' },
    { code: 'LOCAL-MZ-0007', name: '城关镇个体诊所（非定点）', level: 'township', inCounty: true, designated: false, division: townships[0]!.code },
  );
  return f;
}

const LEVEL_COST: Record<Level, { median: number; los: number }> = {
  township: { median: 50_000, los: 6 },
  county: { median: 160_000, los: 9 },
  city: { median: 500_000, los: 12 },
  provincial: { median: 900_000, los: 14 },
};

function claimBase(f: Facility, person: string, household: string, members: number) {
  return { person_id: person, level: f.level, in_county: f.inCounty, designated: f.designated, household_id: household, household_members: members, enrolled: true };
}

export async function generateCounty(opts: GenerateOptions): Promise<GenerateResult> {
  const seed = opts.seed ?? 1;
  const scale = opts.scale ?? 1;
  const [y0, y1] = opts.years ?? [2004, 2006];
  const say = opts.onProgress ?? (() => undefined);
  const r = new Random(seed);
  const policies = await loadPolicies();
  await mkdir(opts.out, { recursive: true });
  const files: string[] = [];

  say(`building the county (scale ${scale})`);
  const { townships, villages, persons } = buildCounty(r, scale);
  const facilities = buildFacilities(townships);
  const agri = persons.length;

  // census: one CSV a year; the last year arrives from the statistics bureau as GBK with Chinese headers.
  const censusHeader = ['year', 'division_code', 'township_name', 'village_name', 'households', 'population', 'agricultural_population', 'per_capita_net_income'];
  for (let y = y0; y <= y1; y++) {
    const rows = villages.map((v) => {
      const t = townships[v.township]!;
      const income = Math.round(t.income * Math.pow(1.08, y - 2004) * (0.85 + ((v.persons.length * 7919) % 300) / 1000));
      return [String(y), v.code, t.name, v.name, String(v.households), String(Math.round(v.persons.length * 1.07)), String(v.persons.length), yuan(income)];
    });
    if (y === y1) {
      const path = join(opts.out, 'census', `${y}年统计人口-统计局.csv`);
      await writeGbkCsv(path, ['年度', '区划代码', '乡镇', '行政村', '户数', '总人口', '农业人口', '农民人均纯收入'], rows);
      files.push(path);
    } else {
      const path = join(opts.out, 'census', `census-${y}.csv`);
      const sink = await CsvSink.open(path, censusHeader);
      for (const row of rows) await sink.row(row);
      await sink.close();
      files.push(path);
    }
  }

  // facilities: the registry as an Excel workbook with Chinese headers.
  const facPath = join(opts.out, 'facilities', '定点医疗机构目录.xlsx');
  await writeXlsx(
    facPath,
    '机构目录',
    ['机构编码', '机构名称', '机构级别', '是否县内', '是否定点', '所在区划'],
    facilities.map((f) => [f.code, f.name, FACILITY_LEVEL.zh(f.level), f.inCounty ? '是' : '否', f.designated ? '是' : '否', f.division]),
  );
  files.push(facPath);

  const enrollees: Record<number, number> = {};
  const claimCounts: Record<number, number> = {};
  let claimSeq = 0;
  const closing = new Map<string, bigint>(); // household account balances carried between years
  for (let y = y0; y <= y1; y++) {
    const policy = policyFor(policies, y)!;
    const prevPolicy = policies.filter((p) => p.year <= y - 1).at(-1);
    say(`year ${y}: enrolment roll`);
    // Participation rises year by year, by whole households.
    const enrolled = new Uint8Array(persons.length);
    const enrolledOn = new Int32Array(persons.length);
    const campaignStart = new Date(Date.UTC(y - 1, 10, 1));
    const enrollPath = join(opts.out, 'enrollment', `enrollment-${y}.csv`);
    const enrollSink = await CsvSink.open(
      enrollPath,
      ['year', 'person_id', 'name', 'household_id', 'division_code', 'category', 'individual_paid', 'subsidy_paid', 'receipt_no', 'enrolled_on'],
      { bom: y === y0 },
    );
    const individualByDay = new Map<string, number>();
    const subsidyByTownship = new Map<number, number>();
    let count = 0;
    for (const v of villages) {
      const t = townships[v.township]!;
      const rate = Math.min(0.995, t.baseRate + (y - y0) * 0.06 + (r.next() - 0.5) * 0.08);
      let lastHousehold = '';
      let take = false;
      let day = 0;
      for (const pi of v.persons) {
        const p = persons[pi]!;
        if (p.household !== lastHousehold) {
          lastHousehold = p.household;
          take = r.chance(rate);
          day = Math.min(59, Math.floor(Math.pow(r.next(), 0.7) * 60));
        }
        if (!take) continue;
        enrolled[pi] = 1;
        enrolledOn[pi] = day;
        count++;
        const std = policy.funding.standards[p.category] ?? policy.funding.standards.general!;
        const indiv = Math.round((std.individual ?? 0) * 100);
        const subsidy = Math.round((std.civil_affairs ?? 0) * 100);
        const date = addDays(campaignStart, day);
        const dkey = `${t.code}|${iso(date)}`;
        individualByDay.set(dkey, (individualByDay.get(dkey) ?? 0) + indiv);
        subsidyByTownship.set(v.township, (subsidyByTownship.get(v.township) ?? 0) + subsidy);
        const dateText = count % 3 === 0 ? iso(date).replace(/-/g, '/') : count % 7 === 0 ? `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日` : iso(date);
        await enrollSink.row([
          String(y),
          p.old15 ? toOld15(p.id) : p.id,
          p.name,
          p.household,
          v.code,
          CATEGORY.zh(p.category),
          yuan(indiv),
          yuan(subsidy),
          `${y}${String(count).padStart(8, '0')}`,
          dateText,
        ]);
      }
    }
    // Deliberate bad rows: a wrong check character, an impossible date, a negative payment, a row repeated.
    const sample = persons[0]!;
    await enrollSink.row([String(y), breakCheck(sample.id), sample.name, sample.household, villages[0]!.code, '一般', '10.00', '0.00', 'BAD1', iso(campaignStart)]);
    await enrollSink.row([String(y), persons[1]!.id, persons[1]!.name, persons[1]!.household, villages[0]!.code, '一般', '10.00', '0.00', 'BAD2', `${y - 1}-13-45`]);
    await enrollSink.row([String(y), persons[2]!.id, persons[2]!.name, persons[2]!.household, villages[0]!.code, '一般', '-10.00', '0.00', 'BAD3', iso(campaignStart)]);
    // A village the census does not know yet: loads, and shows as a finding.
    await enrollSink.row([String(y), makeId(COUNTY_CODE, `${y - 30}0101`, 901), '新户甲', `${COUNTY_CODE}9999990001`, `${COUNTY_CODE}999999`, '一般', '10.00', '0.00', 'NEW1', iso(campaignStart)]);
    await enrollSink.close();
    files.push(enrollPath);
    enrollees[y] = count;

    say(`year ${y}: hospital settlements`);
    const hisPath = join(opts.out, 'his', `his-${y}.csv`);
    const his = await CsvSink.open(hisPath, [
      'claim_id', 'person_id', 'name', 'facility_code', 'visit_type', 'admission_date', 'discharge_date',
      'diagnosis_code', 'diagnosis_name', 'total_cost', 'drug_cost', 'eligible_cost', 'reimbursed', 'referral', 'single_disease_code',
    ]);
    const growth = Math.pow(1.12, y - 2004);
    const inpatientRate = 0.024 + (y - 2004) * 0.004;
    const payoutByMonth = new Map<string, number>();
    const yearStart = Date.UTC(y, 0, 1);
    const byLevel = (l: Level) => facilities.filter((f) => f.level === l && f.designated);
    const nonDesignated = facilities.filter((f) => !f.designated);
    let nClaims = 0;
    const familyAccount = policy.outpatient?.mode === 'family_account';
    const carryOver = familyAccount && prevPolicy?.outpatient?.mode === 'family_account';
    // Households are contiguous in the roll: settle each household's claims together, so the
    // annual caps and the household account come out exactly as the engine computes them.
    for (let start = 0; start < persons.length; ) {
      let end = start;
      while (end < persons.length && persons[end]!.household === persons[start]!.household) end++;
      const members = persons.slice(start, end).filter((_, k) => enrolled[start + k]).length;
      const household = persons[start]!.household;
      const drafts: { row: string[]; claim: Claim; single: boolean }[] = [];
      for (let pi = start; pi < end; pi++) {
        if (!enrolled[pi]) continue;
        const p = persons[pi]!;
        const home = villages[p.village]!.township;
        const stays = r.chance(inpatientRate) ? (r.chance(0.15) ? 2 : 1) : 0;
        for (let st = 0; st < stays; st++) {
          const level = r.weighted<Level>([['township', 50], ['county', 36], ['city', 11], ['provincial', 3]]);
          const pool = level === 'township' ? [facilities[home]!] : byLevel(level);
          const fac = r.chance(0.01) ? nonDesignated[0]! : r.pick(pool);
          const [dx, dxName] = r.weighted(DIAGNOSES.map((d) => [[d[0], d[1]] as const, d[2]] as const));
          const admit = new Date(yearStart + r.int(0, 350) * 86_400_000);
          const los = Math.max(1, Math.round(r.logNormal(LEVEL_COST[fac.level].los, 0.4)));
          const discharge = addDays(admit, los);
          if (discharge.getUTCFullYear() !== y) continue;
          const total = Math.round(r.logNormal(LEVEL_COST[fac.level].median * growth, 0.6));
          const drug = Math.round(total * (0.22 + r.next() * 0.26));
          const eligible = Math.round(total * (0.82 + r.next() * 0.15));
          const referral = !fac.inCounty && r.chance(0.6);
          const single = (dx.startsWith('K35') || dx.startsWith('O80')) && fac.level !== 'city' && fac.level !== 'provincial' && r.chance(0.5) ? dx.slice(0, 3) : '';
          claimSeq++;
          const id = `ZY${y}${String(claimSeq).padStart(9, '0')}`;
          drafts.push({
            single: single !== '',
            row: [id, p.id, p.name, fac.code, r.chance(0.5) ? '住院' : 'inpatient', iso(admit), iso(discharge), dx, dxName, yuan(total), yuan(drug), yuan(eligible), '', referral ? '是' : '否', single],
            claim: { ...claimBase(fac, p.id, household, members), claim_id: id, visit_type: 'inpatient', discharge_date: iso(discharge), total_cost: yuan(total), eligible_cost: yuan(eligible), referral, single_disease_code: single || null },
          });
        }
        const visits = r.poisson(0.55);
        for (let v = 0; v < visits; v++) {
          const fac = r.chance(0.8) ? facilities[home]! : r.pick(byLevel('county'));
          const day = iso(new Date(yearStart + r.int(0, 364) * 86_400_000));
          const total = Math.round(r.logNormal(4_500 * growth, 0.5));
          const drug = Math.round(total * (0.2 + r.next() * 0.25));
          claimSeq++;
          const id = `MZ${y}${String(claimSeq).padStart(9, '0')}`;
          drafts.push({
            single: false,
            row: [id, p.id, p.name, fac.code, '门诊', day, '', 'J06.900', '急性上呼吸道感染', yuan(total), yuan(drug), yuan(total), '', '否', ''],
            claim: { ...claimBase(fac, p.id, household, members), claim_id: id, visit_type: 'outpatient', discharge_date: day, total_cost: yuan(total), eligible_cost: yuan(total), referral: false, opening_carry: carryOver ? yuanBig(closing.get(household) ?? 0n) : '0.00' },
          });
        }
      }
      if (drafts.length) {
        const expected = compensate(policy, drafts.map((d) => d.claim));
        let familyPaid = 0n;
        for (const d of drafts) {
          const exp = Number(expected.get(d.claim.claim_id)!);
          if (d.claim.visit_type === 'outpatient') familyPaid += BigInt(exp);
          // Hospitals' calculation errors, a small known share, for the audit to find.
          let paid = exp;
          if (d.claim.visit_type === 'inpatient' && !d.single && exp > 0) {
            if (r.chance(0.004)) paid = Math.max(0, exp - r.int(100, 5_000));
            else if (r.chance(0.002)) paid = Math.min(Number(fen(d.claim.total_cost)), exp + r.int(100, 10_000));
          }
          d.row[12] = yuan(paid);
          await his.row(d.row);
          nClaims++;
          const cat = d.claim.visit_type === 'outpatient' ? 'outpatient' : d.single ? 'single_disease' : 'inpatient';
          const mkey = `${d.claim.discharge_date.slice(0, 7)}|${cat}`;
          payoutByMonth.set(mkey, (payoutByMonth.get(mkey) ?? 0) + paid);
        }
        if (familyAccount) {
          const opening = fen(policy.funding.family_account_per_capita ?? 0) * BigInt(members) + (carryOver ? (closing.get(household) ?? 0n) : 0n);
          closing.set(household, opening - familyPaid);
        }
      } else if (familyAccount && members > 0) {
        const opening = fen(policy.funding.family_account_per_capita ?? 0) * BigInt(members) + (carryOver ? (closing.get(household) ?? 0n) : 0n);
        closing.set(household, opening);
      }
      start = end;
    }
    // Deliberate: a facility not in the registry (a finding), drug cost above total and a discharge before admission (bad rows).
    const q = persons.findIndex((_, i) => enrolled[i]);
    const qp = persons[q]!;
    await his.row([`ZY${y}X00000001`, qp.id, qp.name, 'H41052399999', '住院', `${y}-03-01`, `${y}-03-05`, 'J18.900', '肺炎', '1500.00', '600.00', '1400.00', '300.00', '否', '']);
    await his.row([`ZY${y}X00000002`, qp.id, qp.name, facilities[0]!.code, '住院', `${y}-04-01`, `${y}-04-05`, 'J18.900', '肺炎', '1000.00', '1200.00', '900.00', '100.00', '否', '']);
    await his.row([`ZY${y}X00000003`, qp.id, qp.name, facilities[0]!.code, '住院', `${y}-05-09`, `${y}-05-01`, 'J18.900', '肺炎', '1000.00', '400.00', '900.00', '100.00', '否', '']);
    await his.close();
    files.push(hisPath);
    claimCounts[y] = nClaims;

    say(`year ${y}: fund ledger`);
    const ledgerCsv = join(opts.out, 'ledger', `.ledger-${y}.csv`);
    const ledger = await CsvSink.open(ledgerCsv, ['entry_id', 'date', 'year', 'direction', 'category', 'amount', 'division_code', 'memo']);
    let e = 0;
    const entry = async (date: string, dir: string, cat: string, fen: number, div: string, memo: string) => {
      if (fen <= 0) return;
      e++;
      await ledger.row([`JZ${y}${String(e).padStart(6, '0')}`, date, String(y), dir, cat, yuan(fen), div, memo]);
    };
    for (const [k, fen] of [...individualByDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [div, date] = k.split('|') as [string, string];
      await entry(date, '收入', '个人缴费', fen, div, '农民个人缴费');
    }
    for (const [t, fen] of [...subsidyByTownship].sort(([a], [b]) => a - b)) await entry(`${y - 1}-12-28`, '收入', '民政资助', fen, townships[t]!.code, '民政代缴五保低保');
    const std = policy.funding.standards.general!;
    for (const [src, zh] of [['central', '中央补助'], ['provincial', '省级补助'], ['county', '县级补助']] as const) {
      const total = Math.round((std[src] ?? 0) * 100) * count;
      await entry(`${y}-03-20`, '收入', zh, Math.floor(total / 2), '', `${zh}第一批`);
      await entry(`${y}-09-20`, '收入', zh, total - Math.floor(total / 2), '', `${zh}第二批`);
    }
    for (const m of ['03-31', '06-30', '09-30', '12-31']) await entry(`${y}-${m}`, '收入', '利息', r.int(50_000, 400_000), '', '专户利息');
    for (const [k, fen] of [...payoutByMonth].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [month, cat] = k.split('|') as [string, string];
      await entry(`${month}-28`, '支出', cat, fen, '', `${month} ${cat} 补偿支出`);
    }
    await ledger.row([`JZ${y}BAD001`, `${y}-06-01`, String(y), '支出', '住院补偿', '0.00', '', '金额为零的错误凭证']);
    await ledger.close();
    const parquet = join(opts.out, 'ledger', `ledger-${y}.parquet`);
    await csvToParquet(ledgerCsv, parquet);
    files.push(parquet);
  }

  // One bad file on purpose: a hospital's supplementary upload without its reimbursement column.
  const badPath = join(opts.out, 'his', `his-${y1}-补报-缺少报销列.csv`);
  const bad = await CsvSink.open(badPath, ['结算单号', '身份证号', '姓名', '机构编码', '就诊类型', '入院日期', '出院日期', '总费用']);
  await bad.row([`BB${y1}0001`, persons[0]!.id, persons[0]!.name, facilities[0]!.code, '住院', `${y1}-06-01`, `${y1}-06-05`, '1200.00']);
  await bad.close();
  files.push(badPath);

  // The township map the enrolment page colours (not an extract: the pipelines leave map/ alone).
  const mapPath = join(opts.out, 'map', 'townships.geojson');
  await mkdir(join(opts.out, 'map'), { recursive: true });
  await writeFile(mapPath, JSON.stringify(townshipGeoJson(townships.map((t) => ({ code: t.code, name: t.name })))) + '\n');
  files.push(mapPath);

  return { files, villages: villages.length, townships: townships.length, agriculturalPopulation: agri, enrollees, claims: claimCounts };
}
