import { describe, expect, it } from 'vitest';
import { useLoadedCounty } from '../test-support/loaded-county.ts';
import { explore, readIndicators, QueryError, type ExploreRow } from '../index.ts';

// Valid ID numbers (check characters computed by hand); A lives in 城关镇's 东村, D in 李庄乡's 南村.
const [A, D] = ['11010519491231002X', '41052319800101002X'];
const CHENGGUAN = '410523100';
const LIZHUANG = '410523200';

const wh = useLoadedCounty((put) => {
  const census = (y: number) => `${y},410523100200,城关镇,东村,10,2000\n${y},410523200200,李庄乡,南村,4,1500\n`;
  put('census/c.csv', 'year,division_code,township_name,village_name,agricultural_population,per_capita_net_income\n' + census(2005) + census(2006));
  put('facilities/f.csv', 'facility_code,facility_name,level,in_county\nH1,城关镇卫生院,township,1\nHC,市医院,city,0\n');
  const roll = (y: number) => `${y},${A},甲,H1,410523100200,一般,${y - 1}-11-01\n${y},${D},丁,H3,410523200200,五保,${y - 1}-11-02\n`;
  put('enrollment/e.csv', 'year,person_id,name,household_id,division_code,category,enrolled_on\n' + roll(2005) + roll(2006));
  put(
    'his/h.csv',
    'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed,referral,diagnosis_code\n' +
      `c1,${A},H1,住院,2005-02-10,2005-02-14,1000,,1000,400,否,J18.9\n` +
      `c2,${A},HC,住院,2005-05-01,2005-05-05,3000,,3000,900,是,I10\n` +
      `c3,${D},HC,住院,2005-05-20,2005-05-22,2000,,2000,500,是,J45\n` +
      `c4,${D},H1,门诊,2005-08-01,,50,,50,10,否,J06\n` +
      `c5,${A},HC,住院,2006-04-10,2006-04-12,4000,,4000,1200,是,C34.1\n` +
      `c6,${D},HC,住院,2006-06-01,2006-06-03,1000,,1000,300,是,J18\n` +
      `c7,${D},H1,住院,2006-01-05,2006-01-07,600,,600,300,否,K35\n`,
  );
});

const pick = (rows: ExploreRow[], period: string, code: string, part: string | null = null) => rows.find((r) => r.period === period && r.code === code && r.part === part);

describe('payout trend explorer (hand computed)', () => {
  it('out-of-county payouts of each township quarter by quarter, with last year and the growth', async () => {
    const r = await explore(wh.conn, { indicator: 'inpatient_payout', grain: 'township', period: 'quarter', breakdown: 'in_county' });
    expect(r.years).toEqual([2005, 2006]);
    expect(pick(r.rows, '2005Q1', CHENGGUAN, 'in')).toMatchObject({ value: '400.00', previous: null, growth: null, name: '城关镇', partName: '县域内' });
    expect(pick(r.rows, '2005Q2', CHENGGUAN, 'out')!.value).toBe('900.00');
    expect(pick(r.rows, '2005Q2', LIZHUANG, 'out')!.value).toBe('500.00');
    // The outpatient visit makes a row of no inpatient payout.
    expect(pick(r.rows, '2005Q3', LIZHUANG, 'in')!.value).toBe('0.00');
    expect(pick(r.rows, '2006Q2', CHENGGUAN, 'out')).toMatchObject({ value: '1200.00', previous: '900.00' });
    expect(pick(r.rows, '2006Q2', CHENGGUAN, 'out')!.growth).toBeCloseTo(1200 / 900 - 1, 12);
    expect(pick(r.rows, '2006Q2', LIZHUANG, 'out')).toMatchObject({ value: '300.00', previous: '500.00' });
    expect(pick(r.rows, '2006Q2', LIZHUANG, 'out')!.growth).toBeCloseTo(-0.4, 12);
    expect(pick(r.rows, '2006Q1', LIZHUANG, 'in')).toMatchObject({ value: '300.00', previous: null, growth: null });
    expect(r.rows).toHaveLength(7);

    const one = await explore(wh.conn, { indicator: 'inpatient_payout', grain: 'township', period: 'quarter', breakdown: 'in_county', township: LIZHUANG, from: 2006 });
    expect(one.rows.map((x) => [x.period, x.part, x.value, x.previous])).toEqual([['2006Q1', 'in', '300.00', null], ['2006Q2', 'out', '300.00', '500.00']]);
  });

  it('unsplit, a township quarter is the figure of the indicator tables', async () => {
    const r = await explore(wh.conn, { indicator: 'inpatient_actual_ratio', grain: 'township', period: 'quarter', from: 2006 });
    for (const period of ['2006Q1', '2006Q2']) {
      const { rows } = await readIndicators(wh.conn, { year: 2006, grain: 'township', period, ids: ['inpatient_actual_ratio'] });
      for (const t of rows) {
        const mine = pick(r.rows, period, String(t.division_code));
        expect(mine?.value ?? null, `${period} ${t.division_code}`).toBe(t.inpatient_actual_ratio);
      }
    }
    expect(pick(r.rows, '2006Q2', CHENGGUAN)!.value).toBeCloseTo(1200 / 4000, 12);
  });

  it('by diagnosis chapter and by category, for the county and for a facility', async () => {
    const ch = await explore(wh.conn, { indicator: 'inpatient_actual_ratio', grain: 'county', period: 'year', breakdown: 'diagnosis_chapter' });
    const county = '410523';
    expect(pick(ch.rows, '2005', county, 'X')!.value).toBeCloseTo((400 + 500) / (1000 + 2000), 12);
    expect(pick(ch.rows, '2005', county, 'IX')!.value).toBeCloseTo(900 / 3000, 12);
    expect(pick(ch.rows, '2006', county, 'II')).toMatchObject({ partName: '肿瘤' });
    expect(pick(ch.rows, '2006', county, 'XI')!.value).toBeCloseTo(300 / 600, 12);
    expect(pick(ch.rows, '2006', county, 'X')!.growth).toBeCloseTo(0.3 / 0.3 - 1, 12);

    const cat = await explore(wh.conn, { indicator: 'inpatient_stays', grain: 'county', period: 'year', breakdown: 'category', from: 2006 });
    expect(cat.rows.map((x) => [x.partName, x.value, x.previous])).toEqual([['一般', 1, 2], ['五保', 2, 1]]);

    const fac = await explore(wh.conn, { indicator: 'inpatient_stays', grain: 'facility', period: 'year', unit: 'HC' });
    expect(fac.rows.map((x) => [x.period, x.name, x.value])).toEqual([['2005', '市医院', 2], ['2006', '市医院', 2]]);
  });

  it('refuses an indicator that has no periods, naming the parameter', async () => {
    await expect(explore(wh.conn, { indicator: 'participation_rate', grain: 'county', period: 'year' })).rejects.toThrow(QueryError);
    await expect(explore(wh.conn, { indicator: 'inpatient_stays', grain: 'county', period: 'year', breakdown: 'colour' })).rejects.toThrow('未知的分组');
  });
});
