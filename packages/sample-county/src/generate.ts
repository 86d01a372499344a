import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Random } from './random.ts';
import { toOld15, breakCheck, makeId } from './ids.ts';
import { CsvSink, writeGbkCsv, writeXlsx, csvToParquet } from './sinks.ts';
import { POLICY_DIR } from './policies.ts';
import { townshipGeoJson } from './map.ts';
import { COUNTY_CODE, PopulationBuilder, ageIn, birthsOf, buildCounty, dayOf, endOfYear, isoDay, livesIn, type Household, type Person, type Township } from './population.ts';
import { DELIVERIES, OUTPATIENT, admissionChance, admissionDay, pickDiagnosis, stayCost, visitsMean, type Diagnosis } from './clinical.ts';
import { CATEGORY, FACILITY_LEVEL, LEDGER_SPENDING, compensate, fen, parsePolicy, yuan as yuanBig, type Claim, type FacilityLevel as Level, type Policy } from '@ncms/rules';

export { COUNTY_CODE };

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
  /** The first year's agricultural population (the census changes every year). */
  agriculturalPopulation: number;
  enrollees: Record<number, number>;
  claims: Record<number, number>;
}

const COUNTY_NAME = '示例县';
/** Households that enrolled last year and enrol again (续保). */
const RENEW = 0.95;

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

function claimBase(f: Facility, person: string, household: string, members: number) {
  return { person_id: person, level: f.level, in_county: f.inCounty, designated: f.designated, household_id: household, household_members: members, enrolled: true };
}

/**
 * Hospitals' calculation errors, for the audit to find: a few per cent of stays, mostly small
 * underpayments at township health centres (the seeds' county refunded 84,402.96 元 to 1,808
 * patients in a year), some at county hospitals, and rarer overpayments. Amounts in fen.
 */
function settled(r: Random, expected: number, totalFen: number, level: Level): number {
  const [under, over, most] = level === 'township' ? [0.06, 0.004, 20_000] : level === 'county' ? [0.025, 0.006, 50_000] : [0.01, 0.004, 80_000];
  if (r.chance(under)) return Math.max(0, expected - Math.min(expected, r.int(500, most)));
  if (r.chance(over)) return Math.min(totalFen, expected + r.int(1_000, most * 2));
  return expected;
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
  const county = buildCounty(r, scale, y0);
  const { townships, villages, persons, households } = county;
  const people = new PopulationBuilder(r, county);
  const facilities = buildFacilities(townships);
  let firstAgri = 0;

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
  const enrolledHouseholds = new Set<string>(); // who enrolled last year
  const lastRate = new Map<number, number>(); // each village's share of households enrolled last year
  const censusHeader = ['year', 'division_code', 'township_name', 'village_name', 'households', 'population', 'agricultural_population', 'per_capita_net_income'];
  for (let y = y0; y <= y1; y++) {
    const policy = policyFor(policies, y)!;
    const prevPolicy = policies.filter((p) => p.year <= y - 1).at(-1);
    const yearStart = dayOf(y, 0, 1);
    // who lives here on 1 January (the census and the roll), and the year's births
    const resident = (p: Person) => p.birth < yearStart && livesIn(p, y);
    const births = birthsOf(people, r, y);
    const deliveryOf = new Map(births.map((b) => [b.mother, b.day]));

    say(`year ${y}: census`);
    const censusRows = villages.map((v) => {
      const t = townships[v.township]!;
      let n = 0;
      let homes = 0;
      for (const id of v.households) {
        const here = households.get(id)!.members.filter((i) => resident(persons[i]!)).length;
        n += here;
        if (here) homes++;
      }
      const income = Math.round(t.income * Math.pow(1.08, y - 2004) * (0.85 + ((v.households.length * 7919) % 300) / 1000));
      return { row: [String(y), v.code, t.name, v.name, String(homes), String(Math.round(n * 1.07)), String(n), yuan(income)], n };
    });
    if (y === y0) firstAgri = censusRows.reduce((a, c) => a + c.n, 0);
    // the last year arrives from the statistics bureau as GBK with Chinese headers
    if (y === y1) {
      const path = join(opts.out, 'census', `${y}年统计人口-统计局.csv`);
      await writeGbkCsv(path, ['年度', '区划代码', '乡镇', '行政村', '户数', '总人口', '农业人口', '农民人均纯收入'], censusRows.map((c) => c.row));
      files.push(path);
    } else {
      const path = join(opts.out, 'census', `census-${y}.csv`);
      const sink = await CsvSink.open(path, censusHeader);
      for (const c of censusRows) await sink.row(c.row);
      await sink.close();
      files.push(path);
    }

    say(`year ${y}: enrolment roll`);
    // Participation rises year by year, by whole households; nobody enrols before being born.
    const enrolled = new Uint8Array(persons.length);
    const campaignStart = dayOf(y - 1, 10, 1);
    const enrollPath = join(opts.out, 'enrollment', `enrollment-${y}.csv`);
    const enrollSink = await CsvSink.open(
      enrollPath,
      ['year', 'person_id', 'name', 'household_id', 'division_code', 'category', 'individual_paid', 'subsidy_paid', 'receipt_no', 'enrolled_on'],
      { bom: y === y0 },
    );
    const individualByDay = new Map<string, number>();
    const subsidyByTownship = new Map<number, number>();
    let count = 0;
    for (const [vi, v] of villages.entries()) {
      const t = townships[v.township]!;
      const rate = Math.min(0.985, t.baseRate + (y - y0) * 0.05 + (r.next() - 0.5) * 0.06);
      // households that enrolled last year mostly renew; the rest join at the rate that takes the
      // village to this year's participation
      const before = lastRate.get(vi);
      const join = before === undefined ? rate : Math.max(0, Math.min(1, (rate - before * RENEW) / Math.max(0.01, 1 - before)));
      let taken = 0;
      for (const hid of v.households) {
        const h = households.get(hid)!;
        const renewing = enrolledHouseholds.has(hid);
        if (!r.chance(renewing ? RENEW : join)) {
          enrolledHouseholds.delete(hid);
          continue;
        }
        enrolledHouseholds.add(hid);
        taken++;
        const day = campaignStart + Math.min(59, Math.floor(Math.pow(r.next(), 0.7) * 60));
        for (const pi of h.members) {
          const p = persons[pi]!;
          if (!resident(p) || p.birth > day) continue;
          enrolled[pi] = 1;
          count++;
          const std = policy.funding.standards[p.category] ?? policy.funding.standards.general!;
          const indiv = Math.round((std.individual ?? 0) * 100);
          const subsidy = Math.round((std.civil_affairs ?? 0) * 100);
          const date = isoDay(day);
          const dkey = `${t.code}|${date}`;
          individualByDay.set(dkey, (individualByDay.get(dkey) ?? 0) + indiv);
          subsidyByTownship.set(v.township, (subsidyByTownship.get(v.township) ?? 0) + subsidy);
          const [yy, mm, dd] = date.split('-');
          const dateText = count % 3 === 0 ? date.replace(/-/g, '/') : count % 7 === 0 ? `${yy}年${Number(mm)}月${Number(dd)}日` : date;
          await enrollSink.row([
            String(y),
            p.old15 ? toOld15(p.id) : p.id,
            p.name,
            p.household,
            villages[p.village]!.code,
            CATEGORY.zh(p.category),
            yuan(indiv),
            yuan(subsidy),
            `${y}${String(count).padStart(8, '0')}`,
            dateText,
          ]);
        }
      }
      lastRate.set(vi, taken / Math.max(1, v.households.length));
    }
    // Deliberate bad rows: a wrong check character, an impossible date, a negative payment.
    const [p0, p1, p2] = [persons[0]!, persons[1]!, persons[2]!];
    const campaignDate = isoDay(campaignStart);
    await enrollSink.row([String(y), breakCheck(p0.id), p0.name, p0.household, villages[0]!.code, '一般', '10.00', '0.00', 'BAD1', campaignDate]);
    await enrollSink.row([String(y), p1.id, p1.name, p1.household, villages[0]!.code, '一般', '10.00', '0.00', 'BAD2', `${y - 1}-13-45`]);
    await enrollSink.row([String(y), p2.id, p2.name, p2.household, villages[0]!.code, '一般', '-10.00', '0.00', 'BAD3', campaignDate]);
    // A village the census does not know yet: loads, and shows as a finding.
    await enrollSink.row([String(y), makeId(COUNTY_CODE, `${y - 30}0101`, 901), '王新户', `${COUNTY_CODE}9999990001`, `${COUNTY_CODE}999999`, '一般', '10.00', '0.00', 'NEW1', campaignDate]);
    await enrollSink.close();
    files.push(enrollPath);
    enrollees[y] = count;

    say(`year ${y}: hospital settlements`);
    const hisPath = join(opts.out, 'his', `his-${y}.csv`);
    const his = await CsvSink.open(hisPath, [
      'claim_id', 'person_id', 'name', 'facility_code', 'visit_type', 'admission_date', 'discharge_date',
      'diagnosis_code', 'diagnosis_name', 'total_cost', 'drug_cost', 'eligible_cost', 'reimbursed', 'referral', 'single_disease_code',
    ]);
    const growth = Math.pow(1.1, y - 2004);
    const payoutByMonth = new Map<string, number>();
    const byLevel = (l: Level) => facilities.filter((f) => f.level === l && f.designated);
    const nonDesignated = facilities.filter((f) => !f.designated);
    const singleCodes = new Map((policy.single_disease ?? []).map((d) => [d.code.trim().toUpperCase(), d.levels as readonly string[]]));
    let nClaims = 0;
    const familyAccount = policy.outpatient?.mode === 'family_account';
    const carryOver = familyAccount && prevPolicy?.outpatient?.mode === 'family_account';
    const stay = (p: Person, household: Household, members: number, dx: Diagnosis, admitDay: number) => {
      const level = r.weighted(dx.levels);
      const home = villages[p.village]!.township;
      const fac = r.chance(0.01) ? nonDesignated[0]! : level === 'township' ? facilities[home]! : r.pick(byLevel(level));
      const { totalFen, los } = stayCost(r, dx, fac.level, growth);
      const dischargeDay = admitDay + los;
      if (dischargeDay >= dayOf(y + 1, 0, 1)) return undefined;
      const drug = Math.round(totalFen * (0.25 + r.next() * 0.25));
      const eligible = Math.round(totalFen * (0.8 + r.next() * 0.17));
      const referral = !fac.inCounty && r.chance(0.6);
      const code3 = dx.code.slice(0, 3);
      const single = singleCodes.get(code3)?.includes(fac.level) && fac.designated && r.chance(0.8) ? code3 : '';
      claimSeq++;
      const id = `ZY${y}${String(claimSeq).padStart(9, '0')}`;
      const [admit, discharge] = [isoDay(admitDay), isoDay(dischargeDay)];
      return {
        single: single !== '',
        level: fac.level,
        totalFen,
        row: [id, p.id, p.name, fac.code, r.chance(0.5) ? '住院' : 'inpatient', admit, discharge, dx.code, dx.name, yuan(totalFen), yuan(drug), yuan(eligible), '', referral ? '是' : '否', single],
        claim: { ...claimBase(fac, p.id, household.id, members), claim_id: id, visit_type: 'inpatient', discharge_date: discharge, total_cost: yuan(totalFen), eligible_cost: yuan(eligible), referral, single_disease_code: single || null } as Claim,
      };
    };
    // Settle each household's claims together, so the annual caps and the household account
    // come out exactly as the engine computes them.
    for (const v of villages) {
      for (const hid of v.households) {
        const h = households.get(hid)!;
        const mine = h.members.filter((i) => enrolled[i]);
        const members = mine.length;
        const drafts: { row: string[]; claim: Claim; single: boolean; level: Level; totalFen: number }[] = [];
        for (const pi of mine) {
          const p = persons[pi]!;
          const age = ageIn(p, y);
          const home = villages[p.village]!.township;
          const birthDay = deliveryOf.get(pi);
          if (birthDay !== undefined) {
            const dx = r.chance(0.72) ? DELIVERIES[0]! : DELIVERIES[1]!;
            const d = stay(p, h, members, dx, Math.max(yearStart, birthDay - r.int(0, 1)));
            if (d) drafts.push(d);
          }
          const stays = r.chance(admissionChance(age) * growth ** 0.5) ? (r.chance(0.15) ? 2 : 1) : 0;
          for (let st = 0; st < stays; st++) {
            const dx = pickDiagnosis(r, p.female, age);
            if (!dx) continue;
            const d = stay(p, h, members, dx, yearStart + admissionDay(r, dx.seasonal === true));
            if (d) drafts.push(d);
          }
          const visits = r.poisson(visitsMean(age));
          for (let k = 0; k < visits; k++) {
            const fits = OUTPATIENT.filter((o) => age >= o.ages[0] && age <= o.ages[1]);
            const dx = r.weighted(fits.map((o) => [o, o.weight] as const));
            const fac = r.chance(0.8) ? facilities[home]! : r.pick(byLevel('county'));
            const day = isoDay(yearStart + admissionDay(r, dx.code === 'J06.900'));
            const total = Math.round(r.logNormal(4_500 * growth, 0.5));
            const drug = Math.round(total * (0.2 + r.next() * 0.25));
            claimSeq++;
            const id = `MZ${y}${String(claimSeq).padStart(9, '0')}`;
            drafts.push({
              single: false,
              level: fac.level,
              totalFen: total,
              row: [id, p.id, p.name, fac.code, '门诊', day, '', dx.code, dx.name, yuan(total), yuan(drug), yuan(total), '', '否', ''],
              claim: { ...claimBase(fac, p.id, h.id, members), claim_id: id, visit_type: 'outpatient', discharge_date: day, total_cost: yuan(total), eligible_cost: yuan(total), referral: false, opening_carry: carryOver ? yuanBig(closing.get(h.id) ?? 0n) : '0.00' },
            });
          }
        }
        const opening = () => fen(policy.funding.family_account_per_capita ?? 0) * BigInt(members) + (carryOver ? (closing.get(h.id) ?? 0n) : 0n);
        if (!drafts.length) {
          if (familyAccount && members > 0) closing.set(h.id, opening());
          continue;
        }
        const expected = compensate(policy, drafts.map((d) => d.claim));
        let familyPaid = 0n;
        for (const d of drafts) {
          const exp = Number(expected.get(d.claim.claim_id)!);
          if (d.claim.visit_type === 'outpatient') familyPaid += BigInt(exp);
          const paid = d.claim.visit_type === 'inpatient' && !d.single && exp > 0 ? settled(r, exp, d.totalFen, d.level) : exp;
          d.row[12] = yuan(paid);
          await his.row(d.row);
          nClaims++;
          const cat = d.claim.visit_type === 'outpatient' ? 'outpatient' : d.single ? 'single_disease' : 'inpatient';
          const mkey = `${d.claim.discharge_date.slice(0, 7)}|${cat}`;
          payoutByMonth.set(mkey, (payoutByMonth.get(mkey) ?? 0) + paid);
        }
        if (familyAccount) closing.set(h.id, opening() - familyPaid);
      }
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
    const entry = async (date: string, dir: string, cat: string, amount: number, div: string, memo: string) => {
      if (amount <= 0) return;
      e++;
      await ledger.row([`JZ${y}${String(e).padStart(6, '0')}`, date, String(y), dir, cat, yuan(amount), div, memo]);
    };
    for (const [k, amount] of [...individualByDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [div, date] = k.split('|') as [string, string];
      await entry(date, '收入', '个人缴费', amount, div, '农民个人缴费');
    }
    for (const [t, amount] of [...subsidyByTownship].sort(([a], [b]) => a - b)) await entry(`${y - 1}-12-28`, '收入', '民政资助', amount, townships[t]!.code, '民政代缴五保低保');
    const std = policy.funding.standards.general!;
    for (const [src, zh] of [['central', '中央补助'], ['provincial', '省级补助'], ['county', '县级补助']] as const) {
      const total = Math.round((std[src] ?? 0) * 100) * count;
      await entry(`${y}-03-20`, '收入', zh, Math.floor(total / 2), '', `${zh}第一批`);
      await entry(`${y}-09-20`, '收入', zh, total - Math.floor(total / 2), '', `${zh}第二批`);
    }
    for (const m of ['03-31', '06-30', '09-30', '12-31']) await entry(`${y}-${m}`, '收入', '利息', r.int(50_000, 400_000) * Math.max(1, Math.round(scale)), '', '专户利息');
    for (const [k, amount] of [...payoutByMonth].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [month, cat] = k.split('|') as [string, string];
      const zh = LEDGER_SPENDING.zh(cat);
      await entry(`${month}-28`, '支出', zh, amount, '', `${Number(month.slice(5))}月${zh}支出`);
    }
    await ledger.row([`JZ${y}BAD001`, `${y}-06-01`, String(y), '支出', '住院补偿', '0.00', '', '金额为零的错误凭证']);
    await ledger.close();
    const parquet = join(opts.out, 'ledger', `ledger-${y}.parquet`);
    await csvToParquet(ledgerCsv, parquet);
    files.push(parquet);

    endOfYear(people, r, y);
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

  return { files, villages: villages.length, townships: townships.length, agriculturalPopulation: firstAgri, enrollees, claims: claimCounts };
}
