import { describe, expect, it } from 'vitest';
import { useLoadedCounty } from '../test-support/loaded-county.ts';
import { readDisclosure, QueryError } from '../index.ts';

// Valid ID numbers (check characters computed by hand): A and B live in 东村, D in 南村.
const [A, B, D] = ['11010519491231002X', '440524188001010014', '41052319800101002X'];
const EAST = '410523100200';

const wh = useLoadedCounty((put) => {
  put('census/c.csv', 'year,division_code,township_name,village_name,agricultural_population,per_capita_net_income\n2005,410523100200,城关镇,东村,10,2000\n2005,410523200200,李庄乡,南村,4,1500\n');
  put('facilities/f.csv', 'facility_code,facility_name,level,in_county\nH1,城关镇卫生院,township,1\nHC,市医院,city,0\n');
  put(
    'enrollment/e.csv',
    'year,person_id,name,household_id,division_code,category,enrolled_on\n' +
      `2005,${A},张三丰,H1,410523100200,一般,2004-11-01\n2005,${B},李四,H2,410523100200,一般,2004-11-01\n2005,${D},王五,H3,410523200200,五保,2004-11-01\n`,
  );
  put(
    'his/h.csv',
    'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed,referral\n' +
      `c1,${B},H1,住院,2005-05-18,2005-05-20,800.50,,800.50,400.25,否\n` +
      `c2,${A},HC,住院,2005-05-01,2005-05-05,3000,,3000,900,是\n` +
      `c3,${A},H1,住院,2005-05-10,2005-05-10,200,,200,0,否\n` + // paid nothing: not listed
      `c4,${A},H1,门诊,2005-05-12,,50,,50,10,否\n` + // outpatient: not listed
      `c5,${D},H1,住院,2005-05-03,2005-05-06,600,,600,300,否\n` + // another village
      `c6,${A},H1,住院,2005-06-01,2005-06-03,500,,500,250,否\n`, // another month
  );
});

describe('public disclosure list (公示), hand computed', () => {
  it("lists the village's paid stays of the month, names and IDs masked, with totals", async () => {
    const d = await readDisclosure(wh.conn, { year: 2005, village: EAST, month: '2005-05' });
    expect(d.village).toEqual({ code: EAST, name: '东村' });
    expect(d.township).toEqual({ code: '410523100', name: '城关镇' });
    expect(d.rows).toEqual([
      { name: '张*丰', person_id: '110105********002X', facility: '市医院', admission_date: '2005-05-01', discharge_date: '2005-05-05', days: 4, total_cost: '3000.00', reimbursed: '900.00' },
      { name: '李*', person_id: '440524********0014', facility: '城关镇卫生院', admission_date: '2005-05-18', discharge_date: '2005-05-20', days: 2, total_cost: '800.50', reimbursed: '400.25' },
    ]);
    expect(d.totals).toEqual({ stays: 2, total_cost: '3800.50', reimbursed: '1300.25' });
  });

  it('a month without stays is an empty list; a bad month or village names its parameter', async () => {
    const d = await readDisclosure(wh.conn, { year: 2005, village: EAST, month: '2005-07' });
    expect(d.rows).toEqual([]);
    expect(d.totals).toEqual({ stays: 0, total_cost: '0.00', reimbursed: '0.00' });
    await expect(readDisclosure(wh.conn, { year: 2005, village: EAST, month: '2005Q1' })).rejects.toThrow(QueryError);
    await expect(readDisclosure(wh.conn, { year: 2005, village: '4105', month: '2005-05' })).rejects.toThrow('village');
  });
});
