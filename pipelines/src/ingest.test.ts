import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { query, queryJson, withSetting } from '@ncms/warehouse';
import { KINDS } from '@ncms/extracts';
import { ingest } from './index.ts';
import { compileKind } from './validate/compile.ts';
import { assertKeepsFileOrder } from './validate/check-file.ts';
import { sandbox, ID, CENSUS, FACILITIES, type Sandbox } from './test-support/fixtures.ts';

let sb: Sandbox;
beforeEach(async () => {
  sb = await sandbox();
});
afterEach(async () => {
  await sb.cleanup();
});

const ENROLL_HEADER = 'year,person_id,name,household_id,division_code,category,individual_paid,subsidy_paid,receipt_no,enrolled_on\n';
const row = (id: string, name: string, hh: string, village = '410523100200', extra = '一般,10,0,R,2004-11-05') => `2005,${id},${name},${hh},${village},${extra}\n`;

describe('ingest: whole-file problems', () => {
  it('rejects bad files with one message each, loads the others, and remembers the rejection', async () => {
    await sb.put('census/a.csv', CENSUS);
    await sb.put('enrollment/missing-column.csv', 'year,person_id,name\n2005,' + ID.a + ',张三\n');
    await sb.put('enrollment/header-only.csv', ENROLL_HEADER);
    await sb.put('enrollment/empty.csv', '');
    await sb.put('his/noise.csv', Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256)));
    await sb.put('ledger/latin1.csv', Buffer.concat([Buffer.from('entry_id,date,direction,category,amount\nJ1,2005-01-01,in,interest,'), Buffer.from([0xff, 0x01, 0x0a])]));
    const s = await ingest(sb.conn, sb.src);
    const by = Object.fromEntries(s.files.map((f) => [f.path.slice(sb.src.length + 1), f]));
    expect(by['census/a.csv']!.status).toBe('loaded');
    expect(by['enrollment/missing-column.csv']!.reason).toMatch(/household_id.*division_code/);
    expect(by['enrollment/header-only.csv']!.reason).toMatch(/no data rows/);
    expect(by['enrollment/empty.csv']!.reason).toMatch(/empty/);
    expect(by['his/noise.csv']!.reason).toMatch(/unknown encoding/);
    expect(by['ledger/latin1.csv']!.reason).toMatch(/unknown encoding/);
    expect(s.rejected).toBe(true);
    expect((await query(sb.conn, 'SELECT count(*) n FROM census'))[0]).toEqual({ n: 2 });

    const again = await ingest(sb.conn, sb.src);
    expect(again.rejected).toBe(false);
    expect(again.files.filter((f) => f.status === 'rejected_earlier')).toHaveLength(5);
    expect(again.files.find((f) => f.path.endsWith('empty.csv'))!.reason).toMatch(/empty/);
    const retried = await ingest(sb.conn, sb.src, { retryRejected: true });
    expect(retried.files.filter((f) => f.status === 'rejected')).toHaveLength(5);
  });

  it('rejects a file whose bad rows exceed 5 % and keeps its problems for the user', async () => {
    // 1 good row + 1 bad row = 50 % bad.
    await sb.put('enrollment/e.csv', ENROLL_HEADER + row(ID.a, '张三', 'H1') + row('110105194912310021', '错号', 'H9'));
    const s = await ingest(sb.conn, sb.src);
    const f = s.files[0]!;
    expect(f.status).toBe('rejected');
    expect(f.reason).toMatch(/1\/2 行 \(50\.0%\)/);
    expect((await query(sb.conn, 'SELECT count(*) n FROM enrollment'))[0]).toEqual({ n: 0 });
    expect(await query(sb.conn, 'SELECT line, column_name FROM quarantine')).toEqual([{ line: 3, column_name: 'person_id' }]);
  });
});

describe('ingest: bad rows and findings', () => {
  it('quarantines bad rows with file line, column and reason, and loads the rest', async () => {
    const good = [ID.a, ID.b, ID.c, ID.d, ID.e, ID.f, ID.g].map((id, i) => row(id, `人${i}`, `H${i}`));
    // 8 bad rows of 15 is far above 5 %: the limit is raised here to look at each row's reasons.
    const lines = [
      ...good,
      row('110105194912310021', '校验错', 'HX'), // line 9: wrong check character
      row('4.10523E+17', '科学计数', 'HX'), // line 10
      row(ID.a, '人0', 'H0'), // line 11: duplicate of line 2 (same person: not an ID conflict)
      `2005,${ID.b.slice(0, 17)}Y,形错,HX,410523100200,一般,10,0,R,2004-11-05\n`, // line 12
      `2005,41052319800101004,短号,HX,410523100200,一般,10,0,R,2004-11-05\n`, // line 13
      `2005,${ID.c},人2,H2,410523100200,一般,10,0,R,2004-13-05\n`, // line 14: duplicate of 4 and bad date
      `2005,${ID.d},人3,H3,410523100200,一般,-10,0,R,2004-11-05\n`, // line 15
      `2005,${ID.e},人4,H4,410523100200,干部,10,0,R,2004-11-05\n`, // line 16
    ];
    await sb.put('census/c.csv', CENSUS);
    await sb.put('enrollment/e.csv', ENROLL_HEADER + lines.join(''));
    const s = await ingest(sb.conn, sb.src, { maxBadShare: 0.9 });
    const f = s.files.find((x) => x.kind === 'enrollment')!;
    expect(f.status).toBe('loaded');
    expect(f.rows).toMatchObject({ total: 15, loaded: 7, quarantined: 8 });
    const q = await query<{ line: number; column_name: string; reason: string }>(
      sb.conn,
      `SELECT line, column_name, reason FROM quarantine ORDER BY line, column_name`,
    );
    const byLine = (n: number) => q.filter((x) => x.line === n).map((x) => `${x.column_name}: ${x.reason}`).join(' | ');
    expect(byLine(9)).toMatch(/person_id: .*check character/);
    expect(byLine(10)).toMatch(/stored as a number/);
    expect(byLine(11)).toMatch(/duplicate of line 2/);
    expect(byLine(12)).toMatch(/18 characters/);
    expect(byLine(13)).toMatch(/18 characters/);
    expect(byLine(14)).toMatch(/enrolled_on: .*unreadable date/);
    expect(byLine(14)).toMatch(/duplicate of line 4/);
    expect(byLine(15)).toMatch(/individual_paid: .*negative/);
    expect(byLine(16)).toMatch(/category: .*unknown value/);
    // The same problems counted by column and reason for a summary, as the quarantine holds them; the
    // four duplicates (lines 11, 14, 15, 16 repeat the persons of lines 2, 4, 5, 6) are one reason.
    const tally = new Map<string, number>();
    for (const x of q) {
      const k = `${x.column_name} ${/duplicate of line/.test(x.reason) ? '文件内重复 (duplicate key in the file)' : x.reason}`;
      tally.set(k, (tally.get(k) ?? 0) + 1);
    }
    expect(Object.fromEntries(f.reasons.map((r) => [`${r.column_name} ${r.reason}`, r.count]))).toEqual(Object.fromEntries(tally));
    expect(f.reasons.find((r) => r.reason.startsWith('文件内重复'))).toEqual({ column_name: 'year+person_id', reason: '文件内重复 (duplicate key in the file)', count: 4 });
    expect(f.reasons.map((r) => r.count)).toEqual([...f.reasons.map((r) => r.count)].sort((a, b) => b - a)); // most frequent first
  });

  it('quarantines both rows of an ID number held by two persons (身份证号冲突), apart from duplicates', async () => {
    const lines = [
      row(ID.a, '张三', 'H1'), // line 2
      row(ID.a, '李四丰', 'H2'), // line 3: another person with A's number
      row(ID.b, '王五', 'H3'), // line 4
      row(ID.b, '王五', 'H4'), // line 5: the same name in another household
      row(ID.c, '赵六', 'H5'), // line 6
      row(ID.c, '赵六', 'H5'), // line 7: a plain duplicate
      row(ID.d, '孙七', 'H6'), // line 8
    ];
    await sb.put('census/c.csv', CENSUS);
    await sb.put('enrollment/e.csv', ENROLL_HEADER + lines.join(''));
    const s = await ingest(sb.conn, sb.src, { maxBadShare: 0.9 });
    expect(s.files.find((x) => x.kind === 'enrollment')!.rows).toMatchObject({ total: 7, loaded: 2, quarantined: 5 });
    expect(await query(sb.conn, 'SELECT line, column_name, reason FROM quarantine ORDER BY line')).toEqual([
      { line: 2, column_name: 'year+person_id', reason: '身份证号冲突：与第 3 行的姓名不同（张* / 李*丰）' },
      { line: 3, column_name: 'year+person_id', reason: '身份证号冲突：与第 2 行的姓名不同（李*丰 / 张*）' },
      { line: 4, column_name: 'year+person_id', reason: '身份证号冲突：与第 5 行的户号不同（H3 / H4）' },
      { line: 5, column_name: 'year+person_id', reason: '身份证号冲突：与第 4 行的户号不同（H4 / H3）' },
      { line: 7, column_name: 'year+person_id', reason: '文件内重复：与第 6 行的键相同 (duplicate of line 6)' },
    ]);
    expect((await query<{ n: number }>(sb.conn, 'SELECT count(*) AS n FROM enrollment'))[0]!.n).toBe(2); // C's line 6 and D
  });

  it('keeps claims at unknown facilities and enrolees of unknown villages, and lists them as findings', async () => {
    await sb.put('census/c.csv', CENSUS);
    await sb.put('facilities/f.csv', FACILITIES);
    await sb.put('enrollment/e.csv', ENROLL_HEADER + row(ID.a, '张三', 'H1') + row(ID.b, '李四', 'H2', '410523199999'));
    await sb.put(
      'his/h.csv',
      'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed\n' +
        `C1,${ID.a},H41052300001,住院,2005-03-01,2005-03-05,1500.00,600.00,1400.00,300.00\n` +
        `C2,${ID.a},H99999999999,inpatient,2005-04-01,2005-04-03,800,,,100\n` +
        `C3,${ID.c},H41052300001,门诊,2005-05-01,,50,20,50,10\n` +
        `C4,${ID.a},H41052300001,住院,2005-06-01,2005-05-30,500,100,500,50\n` +
        `C5,${ID.a},H41052300001,住院,2005-06-01,2005-06-03,500,600,500,50\n`,
    );
    const s = await ingest(sb.conn, sb.src, { maxBadShare: 0.5 });
    expect(s.findings).toMatchObject({ enrolleesInUnknownVillages: 1, claimsAtUnknownFacilities: 1, claimsOfNonEnrolled: 1 });
    const claims = await queryJson(sb.conn, `SELECT claim_id, discharge_date::VARCHAR d, scheme_year, drug_cost, eligible_cost FROM claims ORDER BY claim_id`);
    expect(claims).toEqual([
      { claim_id: 'C1', d: '2005-03-05', scheme_year: 2005, drug_cost: '600.00', eligible_cost: '1400.00' },
      // eligible_cost defaults to total_cost; an empty drug_cost stays unknown
      { claim_id: 'C2', d: '2005-04-03', scheme_year: 2005, drug_cost: null, eligible_cost: '800.00' },
      // an outpatient visit's date stands for its discharge date
      { claim_id: 'C3', d: '2005-05-01', scheme_year: 2005, drug_cost: '20.00', eligible_cost: '50.00' },
    ]);
    const q = await query<{ line: number; column_name: string }>(sb.conn, `SELECT q.line, q.column_name FROM quarantine q JOIN batches b USING (batch_id) WHERE b.kind = 'his' ORDER BY line`);
    expect(q).toEqual([
      { line: 5, column_name: 'discharge_date' },
      { line: 6, column_name: 'drug_cost' },
    ]);
  });
});

describe('ingest: spaces around values', () => {
  it('trims every cell, treats blank and quoted-empty cells as empty, and still names bad ones', async () => {
    await sb.put(
      'enrollment/e.csv',
      ENROLL_HEADER +
        ` 2005 , ${ID.a} , 张三 , H1 , 410523100200 , 一般 , 10.00 , 0 , R1 , 2004-11-05 \n` +
        `2005,${ID.b},李四,H2,410523100200,"",   ,"",R2,   \n` +
        `2005, ${ID.c} ,王五,H3,410523100200,一般, 1.005 ,0,R3,2004-11-05\n`,
    );
    const s = await ingest(sb.conn, sb.src, { maxBadShare: 0.5 });
    expect(s.files[0]!.rows).toMatchObject({ total: 3, loaded: 2, quarantined: 1 });
    expect(await queryJson(sb.conn, 'SELECT year, person_id, name, household_id, category, individual_paid, subsidy_paid, receipt_no, enrolled_on FROM enrollment ORDER BY source_line')).toEqual([
      { year: 2005, person_id: ID.a, name: '张三', household_id: 'H1', category: 'general', individual_paid: '10.00', subsidy_paid: '0.00', receipt_no: 'R1', enrolled_on: '2004-11-05' },
      { year: 2005, person_id: ID.b, name: '李四', household_id: 'H2', category: 'general', individual_paid: null, subsidy_paid: null, receipt_no: 'R2', enrolled_on: null },
    ]);
    expect(await query(sb.conn, 'SELECT line, column_name FROM quarantine')).toEqual([{ line: 4, column_name: 'individual_paid' }]);
  });
});

describe('ingest: rows the CSV reader cannot split', () => {
  it('quarantines them with their line, and keeps the lines of the rows after them right', async () => {
    const rows = [row(ID.a, '甲', 'H1'), row(ID.b, '乙', 'H2'), `2005,${ID.c},丙,H3,410523100200,一般,10,0,R,2004-11-05,extra,fields\n`];
    const more = [ID.d, ID.e, ID.f, ID.g].map((id, i) => row(id, `丁${i}`, `H${4 + i}`));
    await sb.put('enrollment/e.csv', ENROLL_HEADER + [...rows, ...more].join(''));
    const s = await ingest(sb.conn, sb.src, { maxBadShare: 0.5 });
    expect(s.files[0]!.reason).toBeUndefined();
    expect(s.files[0]!.rows).toMatchObject({ total: 7, loaded: 6, quarantined: 1 });
    expect(await query(sb.conn, 'SELECT line, column_name FROM quarantine')).toEqual([{ line: 4, column_name: null }]);
    // the roll's lines 2, 3, then 5–8 after the broken line 4
    expect((await query<{ l: number }>(sb.conn, 'SELECT source_line AS l FROM enrollment ORDER BY l')).map((r) => r.l)).toEqual([2, 3, 5, 6, 7, 8]);
  });
});

describe('ingest: idempotence and corrections', () => {
  it('changes nothing for the same bytes, replaces corrected rows and records the batch that wrote them', async () => {
    await sb.put('census/c.csv', CENSUS);
    await sb.put('enrollment/1.csv', ENROLL_HEADER + row(ID.a, '张三', 'H1') + row(ID.b, '李四', 'H2'));
    const first = await ingest(sb.conn, sb.src);
    expect(first.byKind.enrollment).toMatchObject({ loaded: 2, replaced: 0 });

    const second = await ingest(sb.conn, sb.src);
    expect(second.files.every((f) => f.status === 'unchanged')).toBe(true);
    // The same bytes under another name are the same file.
    await sb.put('enrollment/1-copy.csv', ENROLL_HEADER + row(ID.a, '张三', 'H1') + row(ID.b, '李四', 'H2'));
    expect((await ingest(sb.conn, sb.src)).files.find((f) => f.path.endsWith('1-copy.csv'))!.status).toBe('unchanged');

    // A correction: 李四 moved household, 张三 unchanged, 王五 new.
    await sb.put('enrollment/2.csv', ENROLL_HEADER + row(ID.a, '张三', 'H1') + row(ID.b, '李四', 'H9') + row(ID.c, '王五', 'H3'));
    const third = await ingest(sb.conn, sb.src);
    const f = third.files.find((x) => x.path.endsWith('2.csv'))!;
    expect(f.rows).toMatchObject({ loaded: 1, replaced: 1, unchanged: 1, quarantined: 0 });
    const rows = await query<{ person_id: string; household_id: string; file: string; source_line: number }>(
      sb.conn,
      `SELECT e.person_id, e.household_id, regexp_extract(b.file_path, '[^/]+$') AS file, e.source_line
       FROM enrollment e JOIN batches b USING (batch_id) ORDER BY person_id`,
    );
    expect(rows).toEqual([
      { person_id: ID.a, household_id: 'H1', file: '1.csv', source_line: 2 },
      { person_id: ID.c, household_id: 'H3', file: '2.csv', source_line: 4 },
      { person_id: ID.b, household_id: 'H9', file: '2.csv', source_line: 3 },
    ].sort((x, y) => (x.person_id < y.person_id ? -1 : 1)));
    expect(await query(sb.conn, `SELECT code, detail FROM load_findings`)).toEqual([{ code: 'enrolment_changed', detail: '户号 H2 → H9' }]);
  });

  it('replaces a corrected claim by its number across years, and leaves the identical one', async () => {
    const HIS = 'claim_id,person_id,name,facility_code,visit_type,admission_date,discharge_date,diagnosis_code,diagnosis_name,total_cost,drug_cost,eligible_cost,reimbursed,referral,single_disease_code\n';
    const claim = (id: string, reimbursed: string) => `${id},${ID.a},张三,H41052300001,住院,2005-03-01,2005-03-08,J18.9,肺炎,1000.00,300.00,900.00,${reimbursed},否,\n`;
    await sb.put('his/2005.csv', HIS + claim('ZY1', '400.00') + claim('ZY2', '500.00'));
    await ingest(sb.conn, sb.src);
    await sb.put('his/2005-fix.csv', HIS + claim('ZY1', '400.00') + claim('ZY2', '450.00') + claim('ZY3', '100.00'));
    const s = await ingest(sb.conn, sb.src);
    expect(s.files.find((f) => f.path.endsWith('fix.csv'))!.rows).toMatchObject({ total: 3, loaded: 1, replaced: 1, unchanged: 1 });
    expect(await queryJson(sb.conn, `SELECT claim_id, reimbursed, regexp_extract(b.file_path, '[^/]+$') AS file FROM claims JOIN batches b USING (batch_id) ORDER BY claim_id`)).toEqual([
      { claim_id: 'ZY1', reimbursed: '400.00', file: '2005.csv' },
      { claim_id: 'ZY2', reimbursed: '450.00', file: '2005-fix.csv' },
      { claim_id: 'ZY3', reimbursed: '100.00', file: '2005-fix.csv' },
    ]);
  });

  it('upgrades an old 15-digit ID and notes it', async () => {
    await sb.put('enrollment/e.csv', ENROLL_HEADER + row('110105491231002', '老号', 'H1'));
    await ingest(sb.conn, sb.src);
    expect(await query(sb.conn, 'SELECT person_id, person_id_upgraded FROM enrollment')).toEqual([{ person_id: ID.a, person_id_upgraded: true }]);
  });
});

describe('ingest: encoding judged from the start of a file', () => {
  // 2,000 ASCII rows (~90 KB, past the 64 KiB sample) and then one row in GBK.
  const asciiRows = Array.from({ length: 2000 }, (_, i) => `2005,4105231${String(i).padStart(5, '0')},T,V${i},10,40,40,1000.00\n`).join('');
  const header = 'year,division_code,township_name,village_name,households,population,agricultural_population,per_capita_net_income\n';
  const file = Buffer.concat([Buffer.from(header + asciiRows), iconv.encode('2005,410523199999,城关镇,东村,10,40,40,1000.00\n', 'gbk')]);

  it('reads the whole file as GB18030 when a line past the sample is not UTF-8', async () => {
    await sb.put('census/late-gbk.csv', file);
    const s = await ingest(sb.conn, sb.src);
    expect(s.files[0]).toMatchObject({ status: 'loaded', encoding: 'gb18030', rows: { total: 2001, loaded: 2001, quarantined: 0 } });
    expect(await query(sb.conn, `SELECT township_name, village_name FROM census WHERE division_code = '410523199999'`)).toEqual([
      { township_name: '城关镇', village_name: '东村' },
    ]);
  });

  it('rejects such a file when told it is UTF-8', async () => {
    await sb.put('census/late-gbk.csv', file);
    const s = await ingest(sb.conn, sb.src, { encoding: 'utf-8' });
    expect(s.files[0]!.status).toBe('rejected');
    expect(s.files[0]!.reason).toMatch(/invalid UTF-8/);
    expect(await query(sb.conn, 'SELECT count(*) AS n FROM census')).toEqual([{ n: 0 }]);
  });
});

describe('ingest: formats', () => {
  it('loads GBK with Chinese headers, XLSX with sheet lines and Parquet', async () => {
    await sb.put('census/gbk.csv', iconv.encode('年度,区划代码,乡镇,行政村,农业人口\r\n2005,410523100200,城关镇,东村,400\r\n', 'gbk'));
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('目录');
    ws.addRow(['机构编码', '机构名称', '机构级别', '是否县内']);
    ws.addRow(['H41052300001', '城关镇卫生院', '一级', '是']);
    ws.addRow(['H41052300002', '坏级别', '五级', '是']);
    await sb.put('facilities/.keep', '');
    await wb.xlsx.writeFile(join(sb.src, 'facilities', 'f.xlsx'));
    await sb.put('ledger/.keep', '');
    await sb.conn.run(`COPY (SELECT 'J1' AS entry_id, DATE '2005-03-01' AS date, '收入' AS direction, '中央补助' AS category, 1234.5::DECIMAL(18,2) AS amount
                          UNION ALL SELECT 'J2', DATE '2005-03-02', 'out', 'interest', 10)
                          TO '${join(sb.src, 'ledger', 'l.parquet')}' (FORMAT parquet)`);
    const s = await ingest(sb.conn, sb.src, { maxBadShare: 0.6 });
    expect(s.files.map((f) => [f.format, f.encoding, f.status])).toEqual([
      ['csv', 'gb18030', 'loaded'],
      ['xlsx', null, 'loaded'],
      ['parquet', null, 'loaded'],
    ]);
    expect(await query(sb.conn, 'SELECT village_name, agricultural_population FROM census')).toEqual([{ village_name: '东村', agricultural_population: 400 }]);
    expect(await query(sb.conn, `SELECT q.line, q.column_name, b.kind FROM quarantine q JOIN batches b USING (batch_id) ORDER BY kind`)).toEqual([
      { line: 3, column_name: 'level', kind: 'facilities' },
      // Parquet: row index + 1; 'interest' is an income category, not an expense.
      { line: 2, column_name: 'category', kind: 'ledger' },
    ]);
    expect(await queryJson(sb.conn, 'SELECT entry_id, year, direction, category, amount FROM ledger')).toEqual([
      { entry_id: 'J1', year: 2005, direction: 'in', category: 'central', amount: '1234.50' },
    ]);
  });
});

describe('ingest: truncated files', () => {
  it('rejects an XLSX and a Parquet file cut short (a copy that stopped half way), naming each, and loads the others', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('目录');
    ws.addRow(['机构编码', '机构名称', '机构级别', '是否县内']);
    for (let i = 1; i <= 200; i++) ws.addRow([`H4105230${String(i).padStart(4, '0')}`, `卫生院${i}`, '一级', '是']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    await sb.put('facilities/f.xlsx', xlsx.subarray(0, Math.floor(xlsx.length / 2)));
    await sb.put('ledger/.keep', '');
    const whole = join(sb.dir, 'whole.parquet');
    await sb.conn.run(`COPY (SELECT 'J' || range AS entry_id, DATE '2005-03-01' AS date, '收入' AS direction, '中央补助' AS category, 10::DECIMAL(18,2) AS amount FROM range(5000)) TO '${whole}' (FORMAT parquet)`);
    const { readFile } = await import('node:fs/promises');
    const parquet = await readFile(whole);
    await sb.put('ledger/l.parquet', parquet.subarray(0, Math.floor(parquet.length * 0.7)));
    await sb.put('census/c.csv', CENSUS);
    const s = await ingest(sb.conn, sb.src);
    const byPath = Object.fromEntries(s.files.map((f) => [f.path.slice(sb.src.length + 1), f]));
    expect(byPath['census/c.csv']!.status).toBe('loaded');
    for (const cut of ['facilities/f.xlsx', 'ledger/l.parquet']) {
      expect(byPath[cut]!.status, cut).toBe('rejected');
      expect(byPath[cut]!.reason, cut).toMatch(/^文件不完整（可能是复制或导出中途中断）/);
    }
    expect(await query(sb.conn, 'SELECT (SELECT count(*) FROM facilities) AS f, (SELECT count(*) FROM ledger) AS l')).toEqual([{ f: 0, l: 0 }]);
    expect((await query<{ n: number }>(sb.conn, 'SELECT count(*) AS n FROM census'))[0]!.n).toBeGreaterThan(0);
  });
});

describe('ingest: line numbers rest on the file order', () => {
  it('plans the check of every kind over a CSV with an order-keeping writer', async () => {
    for (const spec of Object.values(KINDS)) {
      const path = await sb.put(`${spec.kind}.csv`, spec.columns.map((c) => c.name).join(',') + '\n' + spec.columns.map(() => 'x').join(',') + '\n');
      const source = `(SELECT * FROM read_csv('${path}', header = true, all_varchar = true))`;
      const ctas = `CREATE TEMP TABLE t AS ${compileKind(spec, spec.columns.map((c) => c.name)).checkSelect(source, false)}`;
      await withSetting(sb.conn, 'disabled_optimizers', 'in_clause', () => assertKeepsFileOrder(sb.conn, ctas));
      // Without the setting, DuckDB turns the longer IN lists (yes/no spellings) into joins.
      if (spec.kind === 'his') await expect(assertKeepsFileOrder(sb.conn, ctas)).rejects.toThrow(/file order/);
    }
  });
});
