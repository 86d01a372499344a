import { describe, expect, it } from 'vitest';
import { useLoadedCounty } from '../test-support/loaded-county.ts';
import { makeId } from '@ncms/sample-county';
import { readBatches, readFindings, readQuarantine, readRuns } from '../index.ts';

const A = '11010519491231002X';
const B = '440524188001010014';

const wh = useLoadedCounty((put) => {
  put('census/c.csv', 'year,division_code,township_name,village_name,agricultural_population\n2005,410523100200,城关镇,东村,10\n');
  put('facilities/f.csv', 'facility_code,facility_name,level,in_county\nH1,卫生院,township,1\n');
  // B enrolled in a village the census does not know; line 4 has a bad ID number (1 bad row in 23: under the 5 % limit).
  const others = Array.from({ length: 20 }, (_, i) => `2005,${makeId('410523', '19700101', i + 1)},某,H${i + 10},410523100200\n`).join('');
  put(
    'enrollment/e.csv',
    `year,person_id,name,household_id,division_code\n2005,${A},甲,H1,410523100200\n2005,${B},乙,H2,410523100299\n2005,110105194912310021,丙,H3,410523100200\n` + others,
  );
  // A claim at a facility the registry does not know, and one of a person not enrolled.
  put(
    'his/h.csv',
    'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,eligible_cost,reimbursed\n' +
      `C1,${A},HX,住院,2005-03-01,2005-03-02,100,100,10\nC2,410523198001010011,H1,住院,2005-03-01,2005-03-02,100,100,20\n`,
  );
  // A file missing a required column: rejected.
  put('ledger/bad.csv', 'entry_id,date\nL1,2005-01-01\n');
});

describe('operations', () => {
  it('lists the runs, newest first, with their counts', async () => {
    const runs = await readRuns(wh.conn);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ run_id: 1, status: 'rejected_files', files_loaded: 4, files_rejected: 1, rows_loaded: 26, rows_quarantined: 1 }); // 1 + 1 + 22 enrolees + 2 claims
    expect(runs[0]!.started_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('lists the files seen, and the rejected ones with their reason', async () => {
    expect((await readBatches(wh.conn)).map((b) => b.kind).sort()).toEqual(['census', 'enrollment', 'facilities', 'his', 'ledger']);
    const rejected = await readBatches(wh.conn, { status: 'rejected' });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toMatch(/缺少必需的列/);
  });

  it('groups bad rows by file, column and reason, with their first line', async () => {
    const q = await readQuarantine(wh.conn);
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ kind: 'enrollment', column_name: 'person_id', rows: 1, first_line: 4 });
  });

  it('judges references between extracts: units absent from the census, unknown facilities, non-enrolled claims', async () => {
    expect(await readFindings(wh.conn, 2005)).toEqual([
      { code: 'non_enrolled', year: 2005, subject: null, count: 1, amount: '20.00' },
      { code: 'unknown_division', year: 2005, subject: '410523100299', count: 1, amount: null },
      { code: 'unknown_facility', year: 2005, subject: 'HX', count: 1, amount: null },
    ]);
    expect(await readFindings(wh.conn, 2006)).toEqual([]);
  });
});
