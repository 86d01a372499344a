/**
 * A sample county an official would believe: the generated files read back with DuckDB and
 * checked against what a county's real rolls and settlements look like.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openScratch, rows, type DuckDBConnection } from '@ncms/warehouse';
import { generateCounty } from './generate.ts';
import { GIVEN_FEMALE, GIVEN_MALE } from './names.ts';

let dir: string;
let db: Awaited<ReturnType<typeof openScratch>>;
let conn: DuckDBConnection;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-realism-'));
  await generateCounty({ out: dir, scale: 0.15, seed: 7 });
  db = await openScratch();
  conn = db.conn;
  // the rolls and settlements as written (UTF-8 CSV), persons with the sex and birth their ID carries
  await conn.run(`
    CREATE TABLE roll AS
      SELECT year, person_id, name, household_id, division_code,
             strptime(replace(replace(replace(replace(enrolled_on, '/', '-'), '年', '-'), '月', '-'), '日', ''), '%Y-%m-%d')::DATE AS enrolled_on
      FROM read_csv('${dir}/enrollment/enrollment-*.csv', all_varchar = true, union_by_name = true)
      WHERE length(person_id) = 18 AND receipt_no NOT LIKE 'BAD%' AND receipt_no NOT LIKE 'NEW%';
    CREATE TABLE people AS
      SELECT DISTINCT person_id, name, strptime(substr(person_id, 7, 8), '%Y%m%d')::DATE AS birth,
             CAST(substr(person_id, 17, 1) AS INTEGER) % 2 = 0 AS female
      FROM roll;
    CREATE TABLE his AS
      SELECT claim_id, person_id, facility_code, visit_type, admission_date::DATE AS admission_date, discharge_date,
             diagnosis_code, total_cost::DECIMAL(18,2) AS total_cost, single_disease_code
      FROM read_csv('${dir}/his/his-*.csv', all_varchar = true, union_by_name = true) WHERE claim_id NOT LIKE '%X%';
    CREATE TABLE stays AS
      SELECT h.*, p.female, date_diff('year', p.birth, h.admission_date) AS age
      FROM his h JOIN people p USING (person_id) WHERE h.visit_type IN ('住院', 'inpatient');
  `);
});

afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

const one = async <T>(sql: string): Promise<T> => (await rows<T>(conn, sql))[0]!;

describe('the sample county', () => {
  it('gives each person one ID number: a roll never lists two people under the same number', async () => {
    // the first residents born in the first year and that year's births once drew the same sequence numbers
    const r = await one<{ repeated: number; people: number }>(`
      SELECT count(*) FILTER (n > 1)::INTEGER AS repeated, count(*)::INTEGER AS people
      FROM (SELECT year, person_id, count(*) AS n FROM roll GROUP BY ALL)`);
    expect(r.people).toBeGreaterThan(10_000);
    expect(r.repeated).toBe(0);
  });

  it('delivers only women of childbearing age, and gives cancer and cataract to adults only', async () => {
    const r = await one<{ men: number; young: number; deliveries: number; cancer_children: number; cataract_young: number }>(`
      SELECT count(*) FILTER (diagnosis_code LIKE 'O8%' AND NOT female) AS men,
             count(*) FILTER (diagnosis_code LIKE 'O8%' AND (age < 17 OR age > 46)) AS young,
             count(*) FILTER (diagnosis_code LIKE 'O8%') AS deliveries,
             count(*) FILTER (diagnosis_code LIKE 'C%' AND age < 30) AS cancer_children,
             count(*) FILTER (diagnosis_code LIKE 'H25%' AND age < 50) AS cataract_young
      FROM stays`);
    expect(r.deliveries).toBeGreaterThan(50);
    expect(r).toMatchObject({ men: 0, young: 0, cancer_children: 0, cataract_young: 0 });
  });

  it('costs a cancer stay many times a cold, and a city hospital more than a township centre', async () => {
    const r = await one<{ cancer: number; cold: number; city: number; township: number }>(`
      SELECT median(total_cost) FILTER (diagnosis_code LIKE 'C%')::DOUBLE AS cancer,
             median(total_cost) FILTER (diagnosis_code LIKE 'J06%')::DOUBLE AS cold,
             median(total_cost) FILTER (diagnosis_code = 'J18.900' AND facility_code LIKE 'H4105000%')::DOUBLE AS city,
             median(total_cost) FILTER (diagnosis_code = 'J18.900' AND facility_code LIKE 'H41052300%')::DOUBLE AS township
      FROM stays`);
    expect(r.cancer / r.cold).toBeGreaterThan(8);
    expect(r.city / r.township).toBeGreaterThan(3);
  });

  it('never enrols anyone before their birth', async () => {
    const r = await one<{ n: number; babies: number }>(`
      SELECT count(*) FILTER (r.enrolled_on < p.birth) AS n, count(*) FILTER (date_diff('year', p.birth, r.enrolled_on) < 1) AS babies
      FROM roll r JOIN people p USING (person_id)`);
    expect(r.n).toBe(0);
    expect(r.babies).toBeGreaterThan(0); // last year's newborns do enrol
  });

  it('has the age structure of a rural county: a fifth children, a few per cent aged 70 and over', async () => {
    const r = await one<{ children: number; old: number }>(`
      SELECT avg(CASE WHEN date_diff('year', p.birth, DATE '2005-07-01') < 15 THEN 1 ELSE 0 END) AS children,
             avg(CASE WHEN date_diff('year', p.birth, DATE '2005-07-01') >= 70 THEN 1 ELSE 0 END) AS old
      FROM roll r JOIN people p USING (person_id) WHERE r.year = '2005'`);
    expect(r.children).toBeGreaterThan(0.13);
    expect(r.children).toBeLessThan(0.26);
    expect(r.old).toBeGreaterThan(0.03);
    expect(r.old).toBeLessThan(0.09);
  });

  it('has surnames at their real frequency, and spouses with their own', async () => {
    const top = await rows<{ s: string; share: number }>(conn, `
      SELECT left(name, 1) AS s, count(*) / sum(count(*)) OVER () AS share FROM people GROUP BY s ORDER BY share DESC LIMIT 3`);
    expect(new Set(top.map((t) => t.s))).toEqual(new Set(['王', '李', '张']));
    for (const t of top) expect(t.share).toBeGreaterThan(0.05);
    const mixed = await one<{ share: number }>(`
      SELECT avg(CASE WHEN n > 1 THEN 1 ELSE 0 END) AS share
      FROM (SELECT household_id, count(DISTINCT left(name, 1)) AS n FROM roll WHERE year = '2005' GROUP BY household_id HAVING count(*) >= 2)`);
    expect(mixed.share).toBeGreaterThan(0.6);
  });

  it('gives names that match the sex the ID number carries', async () => {
    const male = new Set(GIVEN_MALE);
    const female = new Set(GIVEN_FEMALE);
    const people = await rows<{ name: string; female: boolean }>(conn, 'SELECT name, female FROM people');
    const wrong = people.filter((p) => [...p.name.slice(1)].some((c) => (p.female ? male.has(c) : female.has(c))));
    expect(people.length).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
  });

  it('changes from year to year: births, deaths and moves change the census; each year has its own', async () => {
    const census = await rows<{ year: string; agri: number }>(conn, `
      SELECT year, sum(agricultural_population::INTEGER) AS agri FROM read_csv('${dir}/census/census-*.csv', all_varchar = true, union_by_name = true) GROUP BY year ORDER BY year`);
    expect(census).toHaveLength(2);
    expect(census[0]!.agri).not.toBe(census[1]!.agri);
    const moved = await one<{ n: number }>(`
      SELECT count(*) AS n FROM roll a JOIN roll b ON a.person_id = b.person_id AND a.year = '2004' AND b.year = '2005' AND a.division_code <> b.division_code`);
    expect(moved.n).toBeGreaterThan(0); // daughters married into another village
  });

  it('admits more in winter and spring than in summer', async () => {
    const r = await one<{ winter: number; summer: number }>(`
      SELECT count(*) FILTER (month(admission_date) IN (12, 1, 2)) AS winter, count(*) FILTER (month(admission_date) IN (6, 7, 8)) AS summer FROM stays`);
    expect(r.winter / r.summer).toBeGreaterThan(1.3);
  });

  it('pays single diseases only in a year whose policy has them, at the levels it names', async () => {
    // pilot-2004.json has no single-disease list
    const r = await one<{ y2004: number; later: number }>(`
      SELECT count(*) FILTER (year(admission_date) = 2004 AND coalesce(single_disease_code, '') <> '') AS y2004,
             count(*) FILTER (year(admission_date) > 2004 AND coalesce(single_disease_code, '') <> '') AS later
      FROM stays`);
    expect(r.y2004).toBe(0);
    expect(r.later).toBeGreaterThan(0);
  });

  it('writes the ledger in Chinese', async () => {
    const memos = await rows<{ memo: string }>(conn, `SELECT DISTINCT memo FROM read_parquet('${dir}/ledger/*.parquet')`);
    expect(memos.filter((m) => /[a-z]{4,}/i.test(m.memo))).toEqual([]);
  });
});
