import { describe, expect, it } from 'vitest';
import { useLoadedCounty } from '../test-support/loaded-county.ts';
import { parsePolicy, INDICATORS, indicatorColumns } from '@ncms/rules';
import { readCampaign, readIndicators, readIndicatorsArrow, readInsurerMonthly, readLorenz, readMonthly, withSource, type IndicatorQuery } from '../index.ts';

// Valid ID numbers (check characters computed by hand).
const [A, B, C, D, E, Z] = ['11010519491231002X', '440524188001010014', '410523198001010011', '41052319800101002X', '410523197505050039', '410523196003030041'];

const policy = parsePolicy({
  scheme: '测试县',
  year: 2005,
  funding: { standards: { general: { individual: 10, central: 20 }, wubao: { civil_affairs: 10, central: 20 } } },
  inpatient: { levels: { township: { deductible: 0, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }] } }, annual_cap: 2000 },
  targets: { participation_rate: 0.8, max_surplus_rate: 0.1 },
  village_rewards: [{ min_rate: 0.95, per_enrollee: 0.5 }, { min_rate: 0.5, per_enrollee: 0.3 }],
});

const wh = useLoadedCounty((put) => {
  put(
    'census/c.csv',
    'year,division_code,township_name,village_name,agricultural_population,per_capita_net_income\n' +
      '2005,410523100200,城关镇,东村,10,2000\n2005,410523100201,城关镇,西村,2,1800\n2005,410523200200,李庄乡,南村,4,1500\n',
  );
  put('facilities/f.csv', 'facility_code,facility_name,level,in_county\nH1,城关镇卫生院,township,1\nHC,市医院,city,0\n');
  put(
    'enrollment/e.csv',
    'year,person_id,name,household_id,division_code,category,enrolled_on\n' +
      `2005,${A},甲,H1,410523100200,一般,2004-11-01\n2005,${B},乙,H1,410523100200,一般,2004-11-03\n2005,${C},丙,H2,410523100200,一般,2004-11-04\n` +
      `2005,${D},丁,H3,410523100201,五保,\n2005,${E},戊,H4,410523999999,一般,2004-11-08\n`,
  );
  put(
    'his/h.csv',
    'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed,referral\n' +
      `c1,${A},H1,住院,2005-03-01,2005-03-05,1000,400,900,300,否\n` +
      `c2,${B},HC,住院,2005-04-01,2005-04-01,3000,,2500,500,是\n` +
      `c3,${D},H1,门诊,2005-05-01,,50,,50,10,否\n` +
      `c4,${Z},H1,住院,2005-05-01,2005-05-02,800,100,800,100,否\n` +
      `c5,${A},HC,住院,2005-06-01,2005-06-11,5000,1000,5000,2000,否\n`,
  );
  put(
    'ledger/l.csv',
    'entry_id,date,year,direction,category,amount,division_code\n' +
      'L1,2004-11-20,2005,收入,个人缴费,30,410523100\nL2,2005-03-20,2005,收入,中央补助,100,\nL3,2005-06-30,2005,收入,利息,5,\nL4,2005-07-28,2005,支出,住院补偿,2800,\n',
  );
}, [policy]);

/** The year's indicators at a grain from the analytics tables. */
const read = async (q: Omit<IndicatorQuery, 'year'> & { year?: number }) => readIndicators(wh.conn, { year: 2005, ...q });
/** The same computed on the spot with other parameters (no policy, another opening balance). */
const computed = (q: Omit<IndicatorQuery, 'year'>, opts: { policy?: typeof policy; openingBalance?: string }) =>
  withSource(wh.conn, 2005, { mode: 'policy', policy: opts.policy, policyFor: () => opts.policy, openingBalance: opts.openingBalance ?? '0' }, (src) =>
    readIndicators(wh.conn, { year: 2005, ...q }, src),
  );

describe('indicators, computed by hand on a small county', () => {
  it('township grain', async () => {
    const t = await read({ grain: 'township' });
    expect(t.rows.map((r) => r.division_code)).toEqual(['410523100', '410523200', '410523999']);
    const [t1, t2, unknown] = t.rows as Record<string, unknown>[];
    expect(t1).toMatchObject({
      name: '城关镇',
      agricultural_population: 12,
      enrollees: 4,
      households: 3,
      participation_rate: 4 / 12,
      subsidized_enrollees: 1,
      subsidized_share: 1 / 4,
      gap_to_target: 6, // ⌈0.8 × 12⌉ − 4 = 10 − 4
      village_reward: '0.30', // 西村: 1 ≥ 0.5 × 2, 0.3 × 1; 东村: 3 < 0.5 × 10
      in_census: true,
      // the fund is the county's pool: a township has no fund of its own, only its share
      funds_raised: null,
      funds_by_source_individual: null,
      per_capita_funding: null,
      collection_gap_central: null,
      collection_rate_total: null,
      fund_utilization: null,
      surplus_rate: null,
      cumulative_surplus: null,
      warnings: null,
      allocated_funds: '104.00', // the pool 130 × 4 ÷ 5 enrolees
      allocated_utilization: 2810 / 104,
      pooled_payouts: '2810.00', // no household accounts in this policy: the pool pays everything
      expected_contributions_individual: '30.00',
      expected_contributions_central: '80.00',
      expected_contributions_civil_affairs: '10.00',
      inpatient_stays: 3,
      inpatient_rate: 3 / 4,
      inpatient_cost: '9000.00',
      inpatient_eligible_cost: '8400.00',
      inpatient_payout: '2800.00',
      inpatient_actual_ratio: 2800 / 9000,
      inpatient_eligible_ratio: 2800 / 8400,
      avg_inpatient_cost: '3000.00',
      avg_inpatient_payout: '933.33',
      avg_length_of_stay: (4 + 1 + 10) / 3,
      outpatient_visits: 1,
      outpatient_payout: '10.00',
      outpatient_ratio: 10 / 50,
      beneficiaries: 3,
      beneficiary_rate: 3 / 4,
      drug_share: 1400 / 6000,
      in_county_rate: 1 / 3,
      referral_rate: 1 / 2,
      payout_by_level_township_payout: '300.00',
      payout_by_level_township_stays: 1,
      payout_by_level_city_payout: '2500.00',
      payout_by_level_city_stays: 2,
      large_payouts_ge_2000: 1,
      large_payouts_ge_5000: 0,
      large_payouts_at_cap: 1,
      payouts_total: '2810.00',
    });
    expect(t2).toMatchObject({ name: '李庄乡', agricultural_population: 4, enrollees: 0, participation_rate: 0, inpatient_rate: null, avg_inpatient_cost: null, allocated_funds: '0.00', allocated_utilization: null });
    // Enrolees of a village the census does not know: a unit of their own, with no denominator.
    expect(unknown).toMatchObject({
      name: null, in_census: false, agricultural_population: null, enrollees: 1, participation_rate: null, gap_to_target: null,
      allocated_funds: '26.00', allocated_utilization: 0, // 130 × 1 ÷ 5; E had no claim
    });
  });

  it('county grain: fund indicators and warnings', async () => {
    const t = await read({ grain: 'county' });
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0]).toMatchObject({
      division_code: '410523',
      in_census: true,
      agricultural_population: 16,
      enrollees: 5,
      // E's village is not in the census: E counts as an enrolee, not in the rate over the census
      participation_rate: 4 / 16,
      gap_to_target: 9, // ⌈0.8 × 16⌉ − 4 = 13 − 4
      funds_raised: '130.00', // 30 + 100; interest is not funding
      per_capita_funding: '26.00',
      // expected: four general enrolees at 10 + 20, D (五保) at 10 civil affairs + 20
      collection_rate_individual: 30 / 40,
      collection_rate_central: 100 / 100,
      collection_rate_civil_affairs: 0,
      collection_rate_provincial: null, // nothing expected
      collection_rate_total: 130 / 150,
      collection_gap_civil_affairs: '10.00',
      payouts_total: '2810.00',
      family_account_funds: '0.00',
      pooled_funds: '130.00',
      family_account_payouts: '0.00',
      pooled_payouts: '2810.00',
      family_account_balance: null, // no household accounts this year
      allocated_funds: '130.00',
      allocated_utilization: 2810 / 130,
      fund_utilization: 2810 / 130,
      surplus_rate: (130 - 2810) / 130,
      cumulative_surplus: '-2675.00', // all income 135 − 2810
      cumulative_surplus_months: (-2675 * 6) / 2810, // m = 6 below
      // m comes from the data: the latest discharge is in June and nothing later is loaded, so m = 6
      projected_year_end: '-5490.00', // 130 − 2810 × 12 ÷ 6
      warnings: ['surplus_negative'], // the policy sets no deficit warning line
      // Under the test policy (township only, 0.5 above 0): c1 expects 450 but got 300; c2, c3, c5 expect 0
      // but got 500, 10, 2000. c4's person is not enrolled (100 paid).
      underpaid_count: 1,
      underpaid_amount: '150.00',
      overpaid_count: 3,
      overpaid_amount: '2510.00',
      non_enrolled_claims_count: 1,
      non_enrolled_claims_amount: '100.00',
      drug_share_breaches: null, // the policy sets no drug-share limit
    });
    const opened = (await computed({ grain: 'county' }, { policy, openingBalance: '1000.50' })).rows[0]!;
    expect(opened.cumulative_surplus).toBe('-1674.50'); // 1000.50 + 135 − 2810
    const town = (await read({ grain: 'township' })).rows[0]!;
    expect(town).toMatchObject({ underpaid_count: 1, overpaid_count: 3, non_enrolled_claims_count: null });
  });

  it('reads several levels at once, level by level', async () => {
    const t = await read({ grain: ['county', 'township'], ids: ['enrollees'] });
    expect(t.rows.map((r) => [r.level, r.division_code, r.enrollees])).toEqual([
      ['county', '410523', 5],
      ['township', '410523100', 4],
      ['township', '410523200', 0],
      ['township', '410523999', 1],
    ]);
  });

  it('gives the same rows as an Arrow table, money as exact text', async () => {
    const t = await readIndicatorsArrow(wh.conn, { year: 2005, grain: 'township', ids: ['enrollees', 'inpatient_payout', 'participation_rate'] });
    const plain = await read({ grain: 'township', ids: ['enrollees', 'inpatient_payout', 'participation_rate'] });
    expect(t.numRows).toBe(plain.rows.length);
    expect(t.schema.fields.map((f) => f.name)).toEqual(plain.columns);
    expect(t.getChild('inpatient_payout')!.toArray()).toEqual(plain.rows.map((r) => r.inpatient_payout));
    expect([...t.getChild('enrollees')!.toArray()]).toEqual(plain.rows.map((r) => r.enrollees));
  });

  it('answers a quarter and a month from the monthly facts, and refuses what a period does not have', async () => {
    const q2 = await read({ grain: 'township', period: '2005Q2', ids: ['inpatient_stays', 'payouts_total'] });
    // 城关镇: c2 (April, 500) and c5 (June, 2000) inpatient, c3 (May, outpatient 10)
    expect(q2.rows[0]).toMatchObject({ division_code: '410523100', period: '2005Q2', inpatient_stays: 2, payouts_total: '2510.00' });
    const may = await read({ grain: 'township', period: '2005-05', ids: ['outpatient_payout'] });
    expect(may.rows[0]).toMatchObject({ period: '2005-05', outpatient_payout: '10.00' });
    await expect(read({ grain: 'township', period: '2005Q2', ids: ['participation_rate'] })).rejects.toThrow(/不按此期间计算/);
    await expect(read({ grain: 'township', period: '2006Q1' })).rejects.toThrow(/不在 2005 年内/);
    await expect(read({ grain: 'township', ids: ['nonsense'] })).rejects.toThrow(/未知指标/);
  });

  it('has one column per scalar and per family key, in catalogue order, and nothing for a year without data', async () => {
    const t = await read({ year: 2009, grain: 'village' });
    expect(t.rows).toEqual([]);
    expect(t.columns.slice(0, 6)).toEqual(['year', 'level', 'division_code', 'name', 'agricultural_population', 'enrollees']);
    expect(t.columns).toContain('funds_by_source_central');
    expect(t.columns).toContain('payout_by_level_city_stays');
    expect(t.columns).toContain('large_payouts_ge_5000');
    expect(t.columns.length).toBe(4 + indicatorColumns().length);
    expect(new Set(INDICATORS.map((i) => i.id)).size).toBe(INDICATORS.length);
  });

  it('equity at township grain: over the township\'s villages', async () => {
    const t = await read({ grain: 'township' });
    const t1 = t.rows[0] as Record<string, number | null>;
    // 东村 x = 3/10 (w 10), 西村 x = 1/2 (w 2): ΣΣ = 2·10·2·0.2 = 8, W = 12, μ = 1/3 → 8 / 96
    expect(t1.township_gini_participation_rate).toBeCloseTo(1 / 12, 12);
    // payout per enrollee 2800/3 (w 3) and 10 (w 1): ΣΣ = 6·(2800/3 − 10) = 5540, W = 4, μ = 702.5
    expect(t1.township_gini_payout_per_enrollee).toBeCloseTo(5540 / (2 * 16 * 702.5), 12);
    expect(t1.township_range_participation_rate_range).toBeCloseTo(0.2, 12);
    expect(t1.township_range_participation_rate_ratio).toBeCloseTo(0.5 / 0.3, 12);
    // the range of payouts per enrollee is money: 2800/3 − 10 = 923.333… → 923.33 元, as exact text
    expect(t1.township_range_payout_per_enrollee_range).toBe('923.33');
    expect(t1.township_range_payout_per_enrollee_ratio).toBeCloseTo(2800 / 3 / 10, 12);
    // 西村 (income 1800) ranks first: r = 0.125 and 0.625; cov = (259.6875 + 86.5625) / 4
    expect(t1.concentration_index).toBeCloseTo((2 * 86.5625) / 702.5, 12);
    // A: 700 + 3000 and B: 2500 out of pocket ≥ 0.4 × 2000; D: 40 < 0.4 × 1800
    expect(t1.catastrophic_rate).toBe(2 / 4);
    // the only subsidised enrollee (D) has no inpatient stay
    expect(t1.subsidized_gap).toBeNull();
  });

  it('catastrophic rate: an enrolee outside the census is in neither count', async () => {
    const [c] = (await read({ grain: 'county', ids: ['enrollees', 'catastrophic_rate'] })).rows as Record<string, number | null>[];
    // A and B of 5 enrolees reach 40 % of their village's income; E (village 410523999999, not in
    // the census) has no income to compare with: 2 ÷ 4, not 2 ÷ 5
    expect(c).toMatchObject({ enrollees: 5, catastrophic_rate: 2 / 4 });
    const unknown = (await read({ grain: 'township', ids: ['catastrophic_rate'] })).rows.find((r) => r.division_code === '410523999');
    expect(unknown!.catastrophic_rate).toBeNull(); // no enrolee of the census there: no rate
  });

  it('equity at county grain: Gini over townships', async () => {
    const c = (await read({ grain: 'county' })).rows[0] as Record<string, number | null>;
    // participation: 城关镇 1/3 (w 12), 李庄乡 0 (w 4); the unknown township is not in the census → 32 / 128
    expect(c.township_gini_participation_rate).toBeCloseTo(0.25, 12);
    // payout per enrollee: 城关镇 702.5 (w 4) alone (李庄乡 has no enrollee; the unknown township takes no part) → no inequality
    expect(c.township_gini_payout_per_enrollee).toBe(0);
    // range over townships in the census: 1/3 − 0
    expect(c.township_range_participation_rate_range).toBeCloseTo(1 / 3, 12);
  });

  it('gives the Lorenz curve of a unit\'s villages', async () => {
    const l = await readLorenz(wh.conn, { year: 2005, code: '410523100' });
    // 西村 10 / 1 enrollee ranks before 东村 2800 / 3
    expect(l.map((p) => [p.code, p.x, p.y])).toEqual([[null, 0, 0], ['410523100201', 0.25, 10 / 2810], ['410523100200', 1, 1]]);
  });

  it('leaves policy-bound indicators empty without a policy, and says so', async () => {
    const t = await withSource(wh.conn, 2005, { mode: 'policy', policy: undefined, policyFor: () => undefined, openingBalance: '0' }, async (src, notes) => ({
      rows: (await readIndicators(wh.conn, { year: 2005, grain: 'county' }, src)).rows,
      notes,
    }));
    expect(t.rows[0]).toMatchObject({ gap_to_target: null, warnings: null, expected_contributions_central: null, enrollees: 5 });
    expect(t.notes.join()).toMatch(/no policy/);
  });
});

describe('series', () => {
  it('monthly payouts use the catalogue definitions over each discharge month', async () => {
    const t = await readMonthly(wh.conn, { year: 2005, grain: 'township' });
    const t1 = t.rows.filter((r) => r.division_code === '410523100').map((r) => [r.month, r.inpatient_stays, r.inpatient_payout, r.outpatient_payout, r.payouts_total]);
    // c1 (Mar, 300), c2 (Apr, 500), c3 (May, outpatient 10), c5 (Jun, 2000); c4 is not an enrollee's
    expect(t1).toEqual([
      ['2005-03', 1, '300.00', '0.00', '300.00'],
      ['2005-04', 1, '500.00', '0.00', '500.00'],
      ['2005-05', 0, '0.00', '10.00', '10.00'],
      ['2005-06', 1, '2000.00', '0.00', '2000.00'],
    ]);
    expect(t.columns).toContain('avg_length_of_stay');
    expect(t.columns).not.toContain('participation_rate');
  });

  it('campaign progress on Mondays and Thursdays, undated enrollees apart', async () => {
    const t = await readCampaign(wh.conn, { year: 2005, grain: 'township' });
    const pick = (code: string) => t.rows.filter((r) => r.division_code === code).map((r) => [r.day, r.enrolled, r.campaign_progress, r.undated]);
    // 2004-11-01 Mon, 11-04 Thu, 11-08 Mon (also the last day). 城关镇: A (Mon 1st), B (Wed → Thu 4th), C (Thu 4th); D undated
    expect(pick('410523100')).toEqual([
      ['2004-11-01', 1, 1 / 12, 1],
      ['2004-11-04', 3, 3 / 12, 1],
      ['2004-11-08', 3, 3 / 12, 1],
    ]);
    // 李庄乡 has nobody yet and is listed; the unknown village's enrollee has no denominator
    expect(pick('410523200').map((r) => r[1])).toEqual([0, 0, 0]);
    expect(pick('410523999')).toEqual([
      ['2004-11-01', 0, null, 0],
      ['2004-11-04', 0, null, 0],
      ['2004-11-08', 1, null, 0],
    ]);
  });
});

describe('households', () => {
  const split = useLoadedCounty((put) => {
    put(
      'census/c.csv',
      'year,division_code,township_name,village_name,agricultural_population\n' +
        '2005,410523100200,城关镇,东村,10\n2005,410523100201,城关镇,西村,10\n2005,410523200200,李庄乡,南村,10\n',
    );
    // H1 has a member in 东村 and one in 西村 (one township), H2 one in 西村 and one in 南村 (two townships).
    put(
      'enrollment/e.csv',
      'year,person_id,name,household_id,division_code\n' +
        `2005,${A},甲,H1,410523100200\n2005,${B},乙,H1,410523100201\n2005,${C},丙,H2,410523100201\n2005,${D},丁,H2,410523200200\n2005,${E},戊,H3,410523200200\n`,
    );
  });

  it('count once in every unit a household has members in', async () => {
    const at = async (grain: 'county' | 'township' | 'village') =>
      Object.fromEntries((await readIndicators(split.conn, { year: 2005, grain, ids: ['households'] })).rows.map((r) => [r.division_code, r.households]));
    expect(await at('village')).toEqual({ '410523100200': 1, '410523100201': 2, '410523200200': 2 });
    expect(await at('township')).toEqual({ '410523100': 2, '410523200': 2 });
    expect(await at('county')).toEqual({ '410523': 3 });
  });
});

describe('the pooled fund under household accounts (hand computed over three years)', () => {
  const rule = { deductible: 0, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }] };
  const year = (y: number, outpatient: object, family?: number) =>
    parsePolicy({
      scheme: '测试县', year: y,
      funding: { standards: { general: { individual: 10, central: 20 } }, ...(family === undefined ? {} : { family_account_per_capita: family }) },
      inpatient: { levels: { township: rule } },
      outpatient,
    });
  // 2004 and 2005 pay outpatient care from household accounts (5 and 8 元 a head); 2006 stops.
  const policies = [
    year(2004, { mode: 'family_account', levels: ['township'] }, 5),
    year(2005, { mode: 'family_account', levels: ['township'] }, 8),
    year(2006, { mode: 'ratio', rate: 0.5, levels: ['township'] }),
  ];
  const fa = useLoadedCounty((put) => {
    put('census/c.csv', 'year,division_code,township_name,village_name,agricultural_population\n2004,410523100200,城关镇,东村,10\n');
    put('facilities/f.csv', 'facility_code,facility_name,level,in_county\nH1,城关镇卫生院,township,1\n');
    put(
      'enrollment/e.csv',
      'year,person_id,name,household_id,division_code\n' +
        `2004,${A},甲,H1,410523100200\n2004,${B},乙,H1,410523100200\n` +
        `2005,${A},甲,H1,410523100200\n2005,${B},乙,H1,410523100200\n2005,${C},丙,H2,410523100200\n` +
        `2006,${A},甲,H1,410523100200\n2006,${B},乙,H1,410523100200\n`,
    );
    put(
      'his/h.csv',
      'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed,referral\n' +
        `a1,${A},H1,门诊,2004-04-01,,10,,10,3,否\n` +
        `a2,${A},H1,住院,2004-05-01,2004-05-03,300,,300,100,否\n` +
        `b1,${C},H1,门诊,2005-04-01,,10,,10,4,否\n` +
        `b2,${B},H1,门诊,2005-06-01,,10,,10,6,否\n` +
        `c1,${A},H1,门诊,2006-03-01,,4,,4,2,否\n`,
    );
    put(
      'ledger/l.csv',
      'entry_id,date,year,direction,category,amount,division_code\n' +
        'L1,2004-01-10,2004,收入,个人缴费,20,\nL2,2004-02-10,2004,收入,中央补助,40,\n' +
        'L3,2005-01-10,2005,收入,个人缴费,30,\nL4,2005-02-10,2005,收入,中央补助,60,\n' +
        'L5,2006-01-10,2006,收入,个人缴费,20,\nL6,2006-02-10,2006,收入,中央补助,40,\nL7,2006-06-30,2006,收入,利息,1,\n',
    );
  }, policies);
  const ids = ['funds_raised', 'family_account_funds', 'pooled_funds', 'family_account_payouts', 'pooled_payouts', 'family_account_balance', 'fund_utilization', 'surplus_rate', 'cumulative_surplus', 'allocated_funds'];
  const county = async (y: number) => (await readIndicators(fa.conn, { year: y, grain: 'county', ids })).rows[0];

  it('keeps the accounts\' share and payouts out of the pool, and carries their balance', async () => {
    // 2004: 2 enrolees × 5 to the accounts; a1 (3) paid from them, a2 (100) from the pool
    expect(await county(2004)).toMatchObject({
      funds_raised: '60.00', family_account_funds: '10.00', pooled_funds: '50.00', family_account_payouts: '3.00', pooled_payouts: '100.00',
      family_account_balance: '7.00', fund_utilization: 100 / 50, surplus_rate: (50 - 100) / 50,
      cumulative_surplus: '-50.00', // 60 − 10 − 100
    });
    // 2005: 3 × 8 = 24 in, 4 + 6 out; the balance carries 7
    expect(await county(2005)).toMatchObject({
      funds_raised: '90.00', family_account_funds: '24.00', pooled_funds: '66.00', family_account_payouts: '10.00', pooled_payouts: '0.00',
      family_account_balance: '21.00', cumulative_surplus: '16.00', // −50 + 90 − 24
    });
  });

  it('follows who renewed, who came and who left, and growth against the year before only', async () => {
    const ids = ['enrollees_growth', 'renewal_rate', 'new_enrollees', 'dropped_enrollees', 'inpatient_rate_growth', 'avg_inpatient_cost_growth', 'eligible_cost_per_capita_growth'];
    const at = async (y: number) => (await readIndicators(fa.conn, { year: y, grain: 'county', ids })).rows[0];
    // 2004: no roll of 2003, no claims of 2003: nothing to compare with
    expect(await at(2004)).toMatchObject({ enrollees_growth: null, renewal_rate: null, new_enrollees: null, dropped_enrollees: null, inpatient_rate_growth: null, eligible_cost_per_capita_growth: null });
    // 2005: A and B stay, C is new; no stay in 2005 against a2 in 2004; household accounts pay b1 and b2, so the pool's eligible cost is 0 against 300
    expect(await at(2005)).toMatchObject({
      enrollees_growth: 3 / 2 - 1, renewal_rate: 1, new_enrollees: 1, dropped_enrollees: 0,
      inpatient_rate_growth: -1, avg_inpatient_cost_growth: null, eligible_cost_per_capita_growth: -1,
    });
    // 2006: C leaves; nothing to grow from (no stay, no pooled cost in 2005)
    expect(await at(2006)).toMatchObject({
      enrollees_growth: 2 / 3 - 1, renewal_rate: 2 / 3, new_enrollees: 0, dropped_enrollees: 1,
      inpatient_rate_growth: null, eligible_cost_per_capita_growth: null,
    });
  });

  it('hands the balance back to the pool the year the scheme stops using household accounts', async () => {
    expect(await county(2006)).toMatchObject({
      funds_raised: '60.00', family_account_funds: '0.00', family_account_payouts: '0.00',
      pooled_funds: '81.00', // 60 + the 21 handed back
      pooled_payouts: '2.00', family_account_balance: null, fund_utilization: 2 / 81,
      cumulative_surplus: '96.00', // 16 + 61 (interest included) + 21 − 2
    });
    const village = (await readIndicators(fa.conn, { year: 2006, grain: 'village', ids })).rows[0];
    expect(village).toMatchObject({ allocated_funds: '81.00', funds_raised: null, family_account_balance: null, pooled_payouts: '2.00' });
  });
});

describe('the insurer settlement (hand computed)', () => {
  // premium 100 元 a head; the result shared 50 % up to 20 元, 25 % beyond, never past 10 % of the premium
  const policy = parsePolicy({
    scheme: '测试县', year: 2005,
    funding: { standards: { general: { individual: 10 } } },
    inpatient: { levels: { township: { deductible: 0, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }] } } },
    insurer: { per_capita_target: 100, bands: [{ upTo: 20, share: 0.5 }, { upTo: null, share: 0.25 }], limit_share_of_premium: 0.1, presettle_share: 0.4 },
  });
  const ins = useLoadedCounty((put) => {
    put('census/c.csv', 'year,division_code,township_name,village_name,agricultural_population\n2005,410523100200,城关镇,东村,10\n');
    put('facilities/f.csv', 'facility_code,facility_name,level,in_county\nH1,城关镇卫生院,township,1\n');
    put('enrollment/e.csv', `year,person_id,name,household_id,division_code\n2005,${A},甲,H1,410523100200\n2005,${B},乙,H1,410523100200\n`);
    put(
      'his/h.csv',
      'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed,referral\n' +
        `a1,${A},H1,住院,2005-03-01,2005-03-05,100,,100,50,否\n` +
        `a2,${B},H1,住院,2005-07-01,2005-07-05,60,,60,30,否\n`,
    );
  }, [policy]);

  it('shares the year\'s result by band up to the limit, and settles what the months pre-paid', async () => {
    const [c] = (await readIndicators(ins.conn, { year: 2005, grain: 'county', ids: ['insurer_premium', 'insurer_result', 'insurer_share', 'fund_share_of_result', 'insurer_final'] })).rows;
    expect(c).toMatchObject({
      insurer_premium: '200.00', // 2 × 100
      insurer_result: '120.00', // 200 − 50 − 30
      insurer_share: '10.00', // L = 20: 0.5 × 20, nothing beyond the limit
      fund_share_of_result: '110.00',
      // December: premium paid 200 ÷ 12 = 16.67 + 50 (March) + 30 (July) = 96.67, balance 16.67;
      // pre-settled 0.4 × 16.67 = 6.668 → 6.67 (limit 0.1 × 96.67 = 9.67): 10 − 6.67 is still due
      insurer_final: '3.33',
    });
    const [t] = (await readIndicators(ins.conn, { year: 2005, grain: 'township', ids: ['insurer_premium', 'insurer_share'] })).rows;
    expect(t).toMatchObject({ insurer_premium: null, insurer_share: null }); // the county's contract only
  });

  it('pre-settles month by month (四六预结)', async () => {
    const m = (await readInsurerMonthly(ins.conn, 2005, policy)).rows;
    expect(m).toHaveLength(12);
    // the seeds' schedule: 200 ÷ 12 = 16.67 in January, then + each month's payouts, never above 200
    expect(m[0]).toMatchObject({ month: '2005-01', premium_to_date: '16.67', pooled_payouts_to_date: '0.00', balance: '16.67', presettled_to_date: '0.00' });
    // February: 0.4 × 16.67 = 6.67, but the limit on 16.67 paid is 0.1 × 16.67 = 1.667 → 1.67
    expect(m[1]).toMatchObject({ month: '2005-02', premium_to_date: '16.67', balance: '16.67', presettled_to_date: '1.67' });
    expect(m[2]).toMatchObject({ month: '2005-03', premium_to_date: '66.67', pooled_payouts_to_date: '50.00', balance: '16.67', presettled_to_date: '6.67' });
    expect(m[6]).toMatchObject({ month: '2005-07', premium_to_date: '96.67', pooled_payouts_to_date: '80.00', balance: '16.67', presettled_to_date: '6.67' });
    expect(m[11]).toMatchObject({ month: '2005-12', premium_to_date: '96.67', pooled_payouts_to_date: '80.00', balance: '16.67', presettled_to_date: '6.67' });
    await expect(readInsurerMonthly(ins.conn, 2005, undefined)).rejects.toThrow(/没有商保经办/);
  });
});

describe('facilities (医疗机构监管), hand computed', () => {
  it('supervises each facility over its claims of enrolees, for the year', async () => {
    const t = await read({ grain: 'facility' });
    expect(t.columns.slice(0, 7)).toEqual(['year', 'level', 'facility_code', 'name', 'facility_level', 'in_county', 'designated']);
    // c4's person is not enrolled: H1 has c1 (stay) and c3 (visit); HC has c2 and c5
    const [h1, hc] = t.rows;
    expect(h1).toMatchObject({
      facility_code: 'H1', name: '城关镇卫生院', facility_level: 'township', in_county: true,
      inpatient_stays: 1, inpatient_cost: '1000.00', inpatient_payout: '300.00', inpatient_actual_ratio: 0.3, inpatient_eligible_ratio: 300 / 900,
      avg_inpatient_cost: '1000.00', avg_length_of_stay: 4, drug_share: 0.4, outpatient_visits: 1, outpatient_payout: '10.00',
      inpatient_persons: 1, stays_per_person: 1, readmissions_15d: 0, out_of_catalogue_share: 0.1, payout_share: 310 / 2810,
      // under the test policy c1 expects 450 (refund 150 to the patient); c3 expects 0 (no outpatient rule): 10 recovered
      audit_underpaid_count: 1, audit_underpaid_amount: '150.00', audit_overpaid_count: 1, audit_overpaid_amount: '10.00',
      drug_share_breach_months: null, // the policy sets no drug-share limit
    });
    expect(hc).toMatchObject({
      facility_code: 'HC', facility_level: 'city', in_county: false,
      inpatient_stays: 2, inpatient_cost: '8000.00', inpatient_persons: 2, stays_per_person: 1, avg_length_of_stay: 5.5,
      out_of_catalogue_share: 500 / 8000, payout_share: 2500 / 2810, drug_share: 1000 / 5000,
      audit_underpaid_count: 0, audit_overpaid_count: 2, audit_overpaid_amount: '2500.00', // the policy pays nothing at city level
    });
    expect(t.rows).toHaveLength(2);
  });

  it('gives a month, and refuses what a facility does not have', async () => {
    const june = await read({ grain: 'facility', period: '2005-06', ids: ['inpatient_stays', 'payout_share'] });
    expect(june.rows).toEqual([expect.objectContaining({ facility_code: 'HC', period: '2005-06', inpatient_stays: 1, payout_share: 1 })]);
    await expect(read({ grain: 'facility', ids: ['participation_rate'] })).rejects.toThrow(/不按医疗机构计算/);
    await expect(read({ grain: 'facility', period: '2005Q2' })).rejects.toThrow(/按年或按月/);
    await expect(read({ grain: ['county', 'facility'] })).rejects.toThrow(/by 应为/);
  });

  it('narrows to a township\'s enrolees, and gives the months as a series', async () => {
    // 城关镇's enrolees: A (c1 at H1, c5 at HC), B (c2 at HC), D (c3 at H1); 李庄乡 has none
    const t = await read({ grain: 'facility', within: '410523100', ids: ['inpatient_stays', 'payout_share'] });
    expect(t.rows.map((r) => [r.facility_code, r.inpatient_stays, r.payout_share])).toEqual([['H1', 1, 310 / 2810], ['HC', 2, 2500 / 2810]]);
    expect((await read({ grain: 'facility', within: '410523200' })).rows).toEqual([]);
    await expect(read({ grain: 'facility', within: '4105231' })).rejects.toThrow(/9 位乡镇代码/);
    const months = await readMonthly(wh.conn, { year: 2005, grain: 'facility', ids: ['inpatient_stays'] });
    expect(months.columns).toEqual(['year', 'level', 'facility_code', 'name', 'facility_level', 'in_county', 'designated', 'month', 'inpatient_stays']);
    expect(months.rows.map((r) => [r.facility_code, r.month, r.inpatient_stays])).toEqual([
      ['H1', '2005-03', 1], ['H1', '2005-05', 0], ['HC', '2005-04', 1], ['HC', '2005-06', 1],
    ]);
  });

  const stays = useLoadedCounty((put) => {
    put('census/c.csv', 'year,division_code,township_name,village_name,agricultural_population\n2004,410523100200,城关镇,东村,10\n');
    put('facilities/f.csv', 'facility_code,facility_name,level,in_county\nH1,城关镇卫生院,township,1\nH2,县医院,county,1\n');
    put('enrollment/e.csv', `year,person_id,name,household_id,division_code\n2004,${A},甲,H1,410523100200\n2005,${A},甲,H1,410523100200\n2005,${B},乙,H2,410523100200\n`);
    put(
      'his/h.csv',
      'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed,referral\n' +
        `s1,${A},H1,住院,2004-12-20,2004-12-25,100,,100,0,否\n` + // last year's
        `s2,${A},H1,住院,2005-01-05,2005-01-08,100,,100,0,否\n` + // 11 days after s1: a readmission
        `s3,${A},H1,住院,2005-01-30,2005-02-02,200,,200,0,否\n` + // 22 days after s2: not
        `s4,${A},H1,住院,2005-02-02,2005-02-04,300,,300,0,否\n` + // the day s3 ended: a readmission
        `s5,${A},H2,住院,2005-02-10,2005-02-12,400,,400,0,否\n` + // another facility: its first stay
        `s6,${B},H1,住院,2005-03-01,2005-03-03,100,,100,0,否\n` + // another person at H1
        `s7,${B},H1,住院,2005-06-01,2005-06-03,100,,100,0,否\n`, // months later: not a readmission
    );
  });

  it('counts readmissions within 15 days at the same facility, across the year\'s start, and grows the cost per stay', async () => {
    const year = (await readIndicators(stays.conn, { year: 2005, grain: 'facility', ids: ['inpatient_stays', 'readmissions_15d', 'stays_per_person', 'avg_inpatient_cost_growth'] })).rows;
    expect(year).toEqual([
      // H1: 5 stays of 2 persons; (100 + 200 + 300 + 100 + 100) ÷ 5 = 160 against 100 in 2004
      expect.objectContaining({ facility_code: 'H1', inpatient_stays: 5, readmissions_15d: 2, stays_per_person: 2.5, avg_inpatient_cost_growth: expect.closeTo(0.6, 12) }),
      expect.objectContaining({ facility_code: 'H2', inpatient_stays: 1, readmissions_15d: 0, avg_inpatient_cost_growth: null }),
    ]);
    const feb = (await readIndicators(stays.conn, { year: 2005, grain: 'facility', period: '2005-02', ids: ['readmissions_15d'] })).rows;
    expect(feb.map((r) => [r.facility_code, r.readmissions_15d])).toEqual([['H1', 1], ['H2', 0]]); // s3 and s4 left in February
  });
});
