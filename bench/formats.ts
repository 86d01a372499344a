/**
 * The format comparison sets (benchmarks.md: bare DuckDB cannot read GBK or XLSX, so they are
 * measured against the UTF-8 case): the county's largest enrolment roll as UTF-8 and as GBK,
 * and its first rows as a UTF-8 CSV and as an XLSX workbook (a sheet holds at most 1,048,576
 * rows). Each set is a source directory the ingest reads. Written once per county and cached.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';

export const XLSX_ROWS = 200_000;

export interface FormatSets {
  utf8: string;
  gbk: string;
  csvHead: string;
  xlsx: string;
  rows: { roll: number; head: number };
}

async function largestRoll(county: string): Promise<string> {
  const dir = join(county, 'enrollment');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.csv'));
  const sizes = await Promise.all(files.map(async (f) => ({ f, size: (await stat(join(dir, f))).size })));
  return join(dir, sizes.reduce((a, b) => (b.size > a.size ? b : a)).f);
}

async function lineCount(path: string): Promise<number> {
  let n = 0;
  for await (const _ of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) n++;
  return n;
}

/** The first `rows` data rows of a CSV as a CSV and as an XLSX sheet of text cells. */
async function writeHead(roll: string, rows: number, csvPath: string, xlsxPath: string): Promise<void> {
  const csv = createWriteStream(csvPath);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxPath, useSharedStrings: false, useStyles: false });
  const sheet = book.addWorksheet('名册');
  let n = -1;
  for await (const line of createInterface({ input: createReadStream(roll), crlfDelay: Infinity })) {
    if (n >= rows) break;
    if (!csv.write(line + '\n')) await once(csv, 'drain');
    sheet.addRow(line.split(',')).commit();
    n++;
  }
  csv.end();
  await once(csv, 'close');
  sheet.commit();
  await book.commit();
}

/** `base`: the directory for this county's sets (removed by the caller when the county changes). */
export async function formatSets(county: string, base: string): Promise<FormatSets> {
  const sets: FormatSets = {
    utf8: join(base, 'utf8'),
    gbk: join(base, 'gbk'),
    csvHead: join(base, 'csv-head'),
    xlsx: join(base, 'xlsx'),
    rows: { roll: 0, head: XLSX_ROWS },
  };
  const marker = join(base, '.complete');
  const roll = await largestRoll(county);
  if (!existsSync(marker)) {
    console.error(`writing the GBK and XLSX comparison files in ${base} …`);
    await rm(base, { recursive: true, force: true });
    for (const dir of [sets.utf8, sets.gbk, sets.csvHead, sets.xlsx]) await mkdir(join(dir, 'enrollment'), { recursive: true });
    await symlink(roll, join(sets.utf8, 'enrollment', 'roll.csv'));
    await pipeline(createReadStream(roll), iconv.decodeStream('utf8'), iconv.encodeStream('gbk'), createWriteStream(join(sets.gbk, 'enrollment', 'roll.csv')));
    await writeHead(roll, XLSX_ROWS, join(sets.csvHead, 'enrollment', 'head.csv'), join(sets.xlsx, 'enrollment', 'head.xlsx'));
    await writeFile(marker, roll);
  }
  sets.rows.roll = (await lineCount(roll)) - 1;
  return sets;
}
