/**
 * The lake export read back by DuckDB's own Parquet reader (`read_parquet(…, hive_partitioning =
 * true)`), row for row against the warehouse; a second export after a small load rewrites only
 * the partitions the load touched; a masked export holds no ID number or full name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ingest } from '@ncms/pipelines';
import { rows } from '@ncms/warehouse';
import { testCounty, type TestCounty } from '../test-support/county.ts';
import { exportLake } from './export.ts';
import { readManifest } from './manifest.ts';
import { LAKE_TABLES } from './tables.ts';

let county: TestCounty;
beforeAll(async () => {
  county = await testCounty();
}, 180_000);
afterAll(() => county?.cleanup());

const glob = (dir: string, table: string) => `read_parquet('${dir}/${table}/**/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER, 'county': VARCHAR}, hive_types_autocast = false)`;
const yearless = (dir: string, table: string) => `read_parquet('${dir}/${table}/**/*.parquet', hive_partitioning = true, hive_types = {'county': VARCHAR}, hive_types_autocast = false)`;

/** Rows in one and not the other, both ways, over the warehouse's columns (partition key renamed to year). */
async function differences(dir: string, table: string): Promise<number> {
  const t = LAKE_TABLES.find((x) => x.name === table)!;
  const cols = (await rows<{ c: string }>(county.conn, `SELECT column_name AS c FROM (DESCRIBE SELECT * FROM ${t.from})`))
    .map((r) => r.c)
    .filter((c) => !t.omit?.includes(c));
  const lakeCols = cols.map((c) => (c === t.year ? `year AS "${c}"` : `"${c}"`)).join(', ');
  const whCols = cols.map((c) => `"${c}"`).join(', ');
  const lake = `(SELECT ${lakeCols} FROM ${t.year ? glob(dir, table) : yearless(dir, table)})`;
  const wh = `(SELECT ${whCols} FROM ${t.from})`;
  const [r] = await rows<{ n: number }>(county.conn, `SELECT (SELECT count(*) FROM (FROM ${wh} EXCEPT ALL FROM ${lake})) + (SELECT count(*) FROM (FROM ${lake} EXCEPT ALL FROM ${wh})) AS n`);
  return r!.n;
}

describe('lake export', () => {
  it('round-trips every table row for row, partitioned by year and county, with a manifest that counts them', async () => {
    const out = join(county.dir, 'lake');
    const r = await exportLake(county.conn, out);
    expect(r.kept).toBe(0);
    const m = (await readManifest(out))!;
    expect(m.county).toBe('410523');
    for (const t of LAKE_TABLES) {
      expect(await differences(out, t.name), t.name).toBe(0);
      const [n] = await rows<{ n: number }>(county.conn, `SELECT count(*) AS n FROM ${t.from}`);
      expect(m.tables.find((x) => x.name === t.name)!.rows, t.name).toBe(n!.n);
    }
    expect((await readdir(join(out, 'claims'))).sort()).toEqual(['year=2004', 'year=2005', 'year=2006']);
    expect(await readdir(join(out, 'claims', 'year=2005'))).toEqual(['county=410523']);
    expect(await readdir(join(out, 'facilities'))).toEqual(['county=410523']);
    // Money stays exact: the sum read back equals the warehouse's, to the fen.
    const [sums] = await rows<{ a: string; b: string }>(county.conn, `SELECT (SELECT sum(reimbursed) FROM claims)::VARCHAR AS a, (SELECT sum(reimbursed) FROM ${glob(out, 'claims')})::VARCHAR AS b`);
    expect(sums!.b).toBe(sums!.a);
    expect(m.dataVersions.map((v) => v.year)).toEqual([2004, 2005, 2006]);
  });

  it('rewrites only the partitions a small load changed, and removes the files it replaced', async () => {
    const out = join(county.dir, 'lake-incremental');
    await exportLake(county.conn, out);
    const again = await exportLake(county.conn, out);
    expect(again.written).toBe(0);

    const before = (await readManifest(out))!;
    const drop = join(county.dir, 'drop');
    await mkdir(join(drop, 'ledger'), { recursive: true });
    await writeFile(join(drop, 'ledger', 'extra-2006.csv'), 'entry_id,date,direction,category,amount\nX-2006-1,2006-12-30,收入,interest,1234.56\n');
    await ingest(county.conn, drop);
    const r = await exportLake(county.conn, out);
    // The 2006 ledger and the load history (one more batch) changed; nothing else.
    expect(r.written).toBe(2);
    const after = (await readManifest(out))!;
    const files = (m: typeof after, table: string) => m.tables.find((t) => t.name === table)!.partitions.map((p) => p.file);
    expect(files(after, 'ledger').filter((f) => !files(before, 'ledger').includes(f))).toEqual([expect.stringMatching(/^ledger\/year=2006\/county=410523\/part-.*\.parquet$/)]);
    expect(files(after, 'claims')).toEqual(files(before, 'claims'));
    expect(r.removedFiles).toBe(2);
    expect(await readdir(join(out, 'ledger', 'year=2006', 'county=410523'))).toHaveLength(1);
    expect(await differences(out, 'ledger')).toBe(0);
    expect(await differences(out, 'batches')).toBe(0);
  });

  it('masks ID numbers and names and gives each person one key across tables', async () => {
    const out = join(county.dir, 'lake-masked');
    await exportLake(county.conn, out, { mask: true });
    const m = (await readManifest(out))!;
    expect(m.masked).toBe(true);
    // No 18-digit ID number (or 15-digit old one) anywhere in any text column of any table. Shaped
    // as GB 11643 shapes them (area, birth date, sequence) and bounded by anything but hex digits:
    // a file's SHA-256 (the batches' content hash) holds long runs of digits by chance.
    const date = '(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])';
    const id = `(^|[^0-9a-fA-F])([1-8][0-9]{5}(18|19|20)[0-9]{2}${date}[0-9]{3}[0-9X]|[1-8][0-9]{5}[0-9]{2}${date}[0-9]{3})($|[^0-9a-fA-F])`;
    // The control: the pattern finds the warehouse's own (unmasked) ID numbers.
    const [control] = await rows<{ n: number; total: number }>(county.conn, `SELECT count(*) FILTER (WHERE regexp_matches(person_id, '${id}')) AS n, count(*) AS total FROM enrollment`);
    expect(control!.n).toBe(control!.total);
    for (const t of m.tables) {
      const text = t.columns.filter((c) => c.type === 'VARCHAR').map((c) => `"${c.name}"`);
      if (!text.length || !t.partitions.length) continue;
      const source = t.partitionedBy.includes('year') ? glob(out, t.name) : yearless(out, t.name);
      const [hit] = await rows<{ n: number }>(county.conn, `SELECT count(*) AS n FROM ${source} WHERE ${text.map((c) => `regexp_matches(coalesce(${c}, ''), '${id}')`).join(' OR ')}`);
      expect(hit!.n, t.name).toBe(0);
    }
    const [names] = await rows<{ full: number; total: number }>(county.conn, `SELECT count(*) FILTER (WHERE length(name) > 1 AND name NOT LIKE '%*%') AS full, count(*) AS total FROM ${glob(out, 'enrollment')}`);
    expect(names!.total).toBeGreaterThan(1000);
    expect(names!.full).toBe(0);
    // Pseudonyms: as many keys as persons, and a claim's key is its claimant's key on the roll.
    const [keys] = await rows<{ keys: number; persons: number; joined: number; claims: number }>(
      county.conn,
      `SELECT (SELECT count(DISTINCT person_key) FROM ${glob(out, 'enrollment')}) AS keys,
              (SELECT count(DISTINCT person_id) FROM enrollment) AS persons,
              (SELECT count(*) FROM ${glob(out, 'claims')} c JOIN (SELECT DISTINCT person_key, year FROM ${glob(out, 'enrollment')}) e USING (person_key, year)) AS joined,
              (SELECT count(*) FROM claims c JOIN (SELECT DISTINCT person_id, year FROM enrollment) e ON e.person_id = c.person_id AND e.year = c.scheme_year) AS claims`,
    );
    expect(keys!.keys).toBe(keys!.persons);
    expect(keys!.joined).toBe(keys!.claims);
  });
});
