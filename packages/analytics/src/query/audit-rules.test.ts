import { describe, expect, it } from 'vitest';
import { rows } from '@ncms/warehouse';
import { AUDIT_RULES, parsePolicy } from '@ncms/rules';
import { makeId } from '@ncms/sample-county';
import { useLoadedCounty } from '../test-support/loaded-county.ts';

// ID numbers with check characters (GB 11643); the 17th digit gives the sex (odd: male).
const M1 = '410523197005010014'; // man, born 1970
const F1 = '410523198003150026'; // woman, born 1980
const F2 = '410523194501010028'; // woman, born 1945
const F3 = '41052319950601002X'; // girl, born 1995-06-01
const F4 = '410523198507070046'; // woman, born 1985
const K1 = '410523200402010012'; // boy, born 2004-02-01
const M2 = '410523199201010010'; // boy, born 1992
const E = '410523197505050039'; // man, born 1975
const X = '11010519491231002X'; // not on the roll

const policy = parsePolicy({
  scheme: '测试县',
  year: 2005,
  funding: { standards: { general: { individual: 10 } } },
  inpatient: {
    levels: {
      township: { deductible: 0, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }] },
      county: { deductible: 0, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }], annual_cap: 600 },
    },
    annual_cap: 1000,
  },
  single_disease: [
    { code: 'O80', name: '顺产', levels: ['township'], fund_pays: 300, icd: ['O80', 'O82'] },
    { code: 'K35', name: '急性阑尾炎', levels: ['county'], fund_pays: 800 },
  ],
});

const HIS = 'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,eligible_cost,reimbursed,diagnosis_code,single_disease_code\n';
const claim = (id: string, person: string, facility: string, type: '住院' | '门诊', adm: string, dis: string, total: string, paid: string, dx: string, sd = '') =>
  `${id},${person},${facility},${type},${adm},${dis},${total},${total},${paid},${dx},${sd}\n`;

const wh = useLoadedCounty((put) => {
  put('census/c.csv', 'year,division_code,township_name,village_name,agricultural_population\n2005,410523100200,城关镇,东村,100\n');
  put(
    'facilities/f.csv',
    'facility_code,facility_name,level,in_county,facility_type\n' +
      'H1,城关镇卫生院,township,1,\nHC,县医院,county,1,综合医院\nMCH,县妇幼保健院,county,1,妇幼保健院\nCL,王氏诊所,township,1,个体诊所\n',
  );
  put(
    'enrollment/e.csv',
    'year,person_id,name,household_id,division_code\n' +
      [M1, F1, F2, F3, F4, K1, M2, E].map((p, i) => `2005,${p},人${i},H${i},410523100200\n`).join(''),
  );
  put(
    'his/h.csv',
    HIS +
      // M1: 400 + 600 = 1,000 reaches the cap exactly; A2 comes exactly 10 days after A1 (same J18)
      claim('A1', M1, 'H1', '住院', '2005-02-01', '2005-02-06', '800', '400', 'J18.9') +
      claim('A2', M1, 'H1', '住院', '2005-02-16', '2005-02-20', '1200', '600', 'J18.0') +
      // 11 days after A2: not split; passes the cap by 50
      claim('A3', M1, 'H1', '住院', '2005-03-03', '2005-03-08', '100', '50', 'J18.9') +
      // upper respiratory infection, 2 days: minor admission; past the cap by all of its 30
      claim('A4', M1, 'H1', '住院', '2005-04-01', '2005-04-03', '60', '30', 'J06.9') +
      // I11 is not I10; J06 for 8 days is past the 7; both paid nothing
      claim('A5', M1, 'H1', '住院', '2005-05-01', '2005-05-03', '100', '0', 'I11.9') +
      claim('A6', M1, 'H1', '住院', '2005-06-01', '2005-06-09', '100', '0', 'J06.9') +
      // a man with a delivery (outpatient), and a man at the 妇幼保健院
      claim('O1', M1, 'H1', '门诊', '2005-07-01', '', '20', '10', 'O80') +
      claim('O2', M1, 'MCH', '门诊', '2005-08-01', '', '10', '5', 'Z00') +
      // F1 at the county hospital (level cap 600): an uncoded appendectomy, K36 (another code), a coded K35
      claim('B1', F1, 'HC', '住院', '2005-03-01', '2005-03-10', '2000', '500', 'K35.8') +
      claim('B2', F1, 'HC', '住院', '2005-05-01', '2005-05-04', '400', '200', 'K36') +
      claim('B3', F1, 'HC', '住院', '2005-07-01', '2005-07-05', '900', '800', 'K35.8', 'K35') +
      // F4: an uncoded delivery by the entry's second prefix (O82); O08 is a different code
      claim('B4', F4, 'H1', '住院', '2005-09-01', '2005-09-03', '500', '150', 'O82.0') +
      claim('B5', F4, 'H1', '住院', '2005-10-01', '2005-10-03', '100', '20', 'O08') +
      // M2 (13): a duplicate of D1, a stay inside D1's, a stay from D1's discharge day (no overlap)
      claim('D1', M2, 'HC', '住院', '2005-04-10', '2005-04-15', '1000', '100', 'J18') +
      claim('D2', M2, 'HC', '住院', '2005-04-10', '2005-04-15', '1000', '100', 'J18') +
      claim('D3', M2, 'H1', '住院', '2005-04-13', '2005-04-14', '300', '60', 'J20') +
      claim('D4', M2, 'H1', '住院', '2005-04-15', '2005-04-16', '200', '40', 'S52') +
      claim('D5', M2, 'MCH', '门诊', '2005-09-01', '', '10', '5', 'Z00') +
      // K1: perinatal diagnosis the day before the first birthday and on it
      claim('P1', K1, 'H1', '门诊', '2005-01-31', '', '10', '3', 'P07') +
      claim('P2', K1, 'H1', '门诊', '2005-02-01', '', '10', '3', 'P07') +
      // F3 (9): a delivery, uncoded
      claim('G1', F3, 'H1', '住院', '2005-03-01', '2005-03-03', '400', '100', 'O80') +
      // F2: a woman with a prostate diagnosis
      claim('N1', F2, 'H1', '门诊', '2005-03-01', '', '20', '8', 'N40') +
      // E: an inpatient stay at a clinic (gastritis, 3 days), a visit there, a readmission across the year boundary
      claim('C1', E, 'CL', '住院', '2005-03-01', '2005-03-04', '300', '70', 'K29.7') +
      claim('C2', E, 'CL', '门诊', '2005-03-20', '', '10', '5', 'K29.7') +
      claim('Z0', E, 'HC', '住院', '2004-12-25', '2004-12-28', '500', '150', 'J44') +
      claim('E2', E, 'HC', '住院', '2005-01-03', '2005-01-10', '500', '120', 'J44.1') +
      // X is not enrolled: the same claim twice is not the audit rules' business (non_enrolled is)
      claim('X1', X, 'H1', '住院', '2005-03-01', '2005-03-04', '100', '50', 'O80') +
      claim('X2', X, 'H1', '住院', '2005-03-01', '2005-03-04', '100', '50', 'O80'),
  );
}, [policy]);

interface Hit {
  code: string;
  claim_id: string;
  amount_at_stake: string;
  evidence: string;
}

async function hits(): Promise<Hit[]> {
  return rows<Hit>(wh.conn, `SELECT code, claim_id, amount_at_stake::VARCHAR AS amount_at_stake, evidence FROM analytics_audit_rules WHERE year = 2005 ORDER BY code, claim_id`);
}

const of = (all: Hit[], code: string) => all.filter((h) => h.code === code).map((h) => [h.claim_id, h.amount_at_stake, JSON.parse(h.evidence) as Record<string, unknown>]);

describe('the audit rules on hand-built claims', () => {
  it('over_cap: the claims past the annual cap or the level\'s, and only the part above it', async () => {
    expect(of(await hits(), 'over_cap')).toEqual([
      // A2 brings M1 to 1,000 exactly: not past the cap. A3 passes it by 50, A4 is all above it
      ['A3', '50.00', { cap: '1000.00', paid_before: '1000.00', paid_after: '1050.00' }],
      ['A4', '30.00', { cap: '1000.00', paid_before: '1050.00', paid_after: '1080.00' }],
      // the county level's cap 600: B2 passes it by 100 (annual 700 is under 1,000)
      ['B2', '100.00', { cap: '600.00', paid_before: '500.00', paid_after: '700.00' }],
      // B3: 800 above the level's cap, 500 above the annual one: the larger
      ['B3', '800.00', { cap: '600.00', paid_before: '700.00', paid_after: '1500.00' }],
    ]);
  });

  it('single_disease_uncoded: by the entry\'s code or icd prefixes at its levels, fixed payment − paid', async () => {
    expect(of(await hits(), 'single_disease_uncoded')).toEqual([
      // B1: min(800, 2,000) − 500; B2 (K36) and the coded B3 are not flagged
      ['B1', '300.00', { entry: 'K35 急性阑尾炎', fixed_payment: '800.00', paid: '500.00' }],
      // B4 by the prefix O82; B5's O08 is another code
      ['B4', '150.00', { entry: 'O80 顺产', fixed_payment: '300.00', paid: '150.00' }],
      ['G1', '200.00', { entry: 'O80 顺产', fixed_payment: '300.00', paid: '100.00' }],
    ]);
  });

  it('split_admission: 0 – 10 days after the discharge, same facility and 3-character diagnosis, also across the year boundary', async () => {
    expect(of(await hits(), 'split_admission')).toEqual([
      ['A2', '600.00', { previous_claim_id: 'A1', gap_days: 10, diagnosis: 'J18' }], // exactly split_days
      ['E2', '120.00', { previous_claim_id: 'Z0', gap_days: 6, diagnosis: 'J44' }], // after last year's stay
    ]);
  });

  it('minor_admission: an outpatient-type diagnosis for at most 7 days', async () => {
    expect(of(await hits(), 'minor_admission')).toEqual([
      ['A4', '30.00', { diagnosis: 'J06.9', days: 2, cost: '60.00' }],
      ['C1', '70.00', { diagnosis: 'K29.7', days: 3, cost: '300.00' }],
    ]);
  });

  it('overlapping_stays and duplicate_claim: listed on the later claim', async () => {
    const all = await hits();
    expect(of(all, 'overlapping_stays')).toEqual([
      ['D2', '100.00', { other_claim_id: 'D1', other_facility: 'HC', overlap_days: 5 }],
      // D3 lies inside D1 and D2 (one day each): the first by claim_id; the smaller of 100 and 60
      ['D3', '60.00', { other_claim_id: 'D1', other_facility: 'HC', overlap_days: 1 }],
    ]);
    expect(of(all, 'duplicate_claim')).toEqual([['D2', '100.00', { first_claim_id: 'D1', total_cost: '1000.00' }]]);
  });

  it('sex_mismatch, age_mismatch and facility_scope from the ID number and the registry\'s type', async () => {
    const all = await hits();
    expect(of(all, 'sex_mismatch')).toEqual([
      ['N1', '8.00', { sex: '女', diagnosis: 'N40' }],
      ['O1', '10.00', { sex: '男', diagnosis: 'O80' }],
    ]);
    expect(of(all, 'age_mismatch')).toEqual([
      ['G1', '100.00', { age: 9, diagnosis: 'O80' }],
      ['P2', '3.00', { age: 1, diagnosis: 'P07' }], // P1 the day before the first birthday is not
    ]);
    expect(of(all, 'facility_scope')).toEqual([
      ['C1', '70.00', { facility_type: 'clinic', age: 29, sex: '男' }], // a stay at a clinic; its visit C2 is fine
      ['O2', '5.00', { facility_type: 'mch', age: 35, sex: '男' }], // D5 (a boy of 13) is not flagged
    ]);
  });

  it('flags nothing else, never a person not enrolled, and shows the catalogue\'s evidence', async () => {
    const all = await hits();
    expect(all).toHaveLength(20);
    expect(all.some((h) => h.claim_id.startsWith('X'))).toBe(false);
    for (const h of all) expect(Object.keys(JSON.parse(h.evidence) as object), h.code).toEqual(AUDIT_RULES.find((r) => r.code === h.code)!.evidence.map((e) => e.key));
  });
});

describe('the roll and fund rules on a hand-built county', () => {
  const A = makeId('410523', '19700101', 1);
  const B = makeId('410523', '19710101', 3);
  const C = makeId('410523', '19720101', 5);
  const D = makeId('410523', '19300101', 7);
  // 40 more general enrolees, so that the two conflicting rows stay under the 5 % a roll may lose
  const others = Array.from({ length: 40 }, (_, i) => makeId('410523', '19800101', 101 + 2 * i));
  const policy2006 = parsePolicy({
    scheme: '测试县',
    year: 2006,
    funding: { standards: { general: { individual: 10, central: 20 }, wubao: { civil_affairs: 10, central: 20 } } },
    inpatient: { levels: { township: { deductible: 0, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }] } } },
  });
  const roll = useLoadedCounty((put) => {
    put('facilities/f.csv', 'facility_code,facility_name,level,in_county\nH1,卫生院,township,1\n');
    put('enrollment/e2005.csv', `year,person_id,name,household_id,division_code,category\n2005,${A},张三,H1,410523100200,一般\n2005,${B},王五,H2,410523100200,一般\n`);
    put(
      'enrollment/e2006.csv',
      'year,person_id,name,household_id,division_code,category\n' +
        `2006,${A},张三,H1,410523100200,一般\n` + // line 2
        `2006,${A},李四,H9,410523100201,一般\n` + // line 3: another person with A's number
        `2006,${B},王小五,H2,410523100200,一般\n2006,${C},赵六,H3,410523100200,一般\n2006,${D},孙七,H4,410523100200,五保\n` +
        others.map((p, i) => `2006,${p},人${i},F${i},410523100200,一般\n`).join(''),
    );
    put(
      'his/h.csv',
      'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,eligible_cost,reimbursed\n' +
        `c1,${B},H1,住院,2006-03-01,2006-03-05,200,200,100\nc2,${C},H1,住院,2006-04-01,2006-04-05,100,100,50\n`,
    );
    put(
      'ledger/l.csv',
      'entry_id,date,year,direction,category,amount,division_code\n' +
        'L1,2006-01-10,2006,收入,个人缴费,420,\nL2,2006-02-10,2006,收入,中央补助,880,\n' +
        'L3,2006-03-31,2006,支出,住院补偿,100,\nL4,2006-04-30,2006,支出,住院补偿,30,\nL5,2006-05-31,2006,支出,门诊补偿,10,\nL6,2006-06-30,2006,支出,其他支出,99,\n',
    );
  }, [policy2006]);

  const findings = async (code: string) =>
    (await rows<{ subject: string | null; person_id: string | null; amount: string | null; persons: number | null; evidence: string }>(
      roll.conn,
      `SELECT subject, person_id, amount::VARCHAR AS amount, persons, evidence FROM analytics_audit_fund WHERE year = 2006 AND code = '${code}' ORDER BY subject, person_id`,
    )).map((r) => ({ ...r, evidence: JSON.parse(r.evidence) as Record<string, unknown> }));

  it('id_conflict: both roll lines that give one ID number to two persons', async () => {
    const f = await findings('id_conflict');
    expect(f.map((x) => [x.evidence.line, x.evidence.reason])).toEqual([
      [2, '身份证号冲突：与第 3 行的姓名不同（张* / 李*）'],
      [3, '身份证号冲突：与第 2 行的姓名不同（李* / 张*）'],
    ]);
    expect((await findings('id_conflict'))[0]!.subject).toMatch(/e2006\.csv 第 2 行$/);
  });

  it('id_holder_changed: a number whose name is not last year\'s', async () => {
    expect(await findings('id_holder_changed')).toEqual([
      { subject: null, person_id: B, amount: null, persons: null, evidence: { previous_name: '王*', name: '王*五', previous_village: '410523100200', village: '410523100200' } },
    ]);
  });

  it('ledger_mismatch: every discharge month whose HIS payouts and ledger payouts differ', async () => {
    // March 100 = 100; April 50 against 30; May nothing against 10; June's 其他支出 is not a payout
    expect((await findings('ledger_mismatch')).map((x) => [x.subject, x.amount, x.evidence])).toEqual([
      ['2006-04', '20.00', { his: '50.00', ledger: '30.00' }],
      ['2006-05', '-10.00', { his: '0.00', ledger: '10.00' }],
    ]);
  });

  it('subsidy_mismatch: a source\'s money against the enrolees it pays for', async () => {
    // individual: 42 general × 10 = 420 received: no finding. central: 43 × 20 = 860 against 880 (44 persons' worth);
    // civil affairs: the 五保 D's 10 never came
    expect((await findings('subsidy_mismatch')).map((x) => [x.subject, x.amount, x.persons, x.evidence])).toEqual([
      ['central', '20.00', 1, { received: '880.00', expected: '860.00', enrollees: 43, implied_enrollees: 44 }],
      ['civil_affairs', '-10.00', -1, { received: '0.00', expected: '10.00', enrollees: 1, implied_enrollees: 0 }],
    ]);
  });
});
