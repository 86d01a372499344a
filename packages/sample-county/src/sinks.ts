/** Output files of the generator: buffered UTF-8 CSV (optionally with BOM), GBK CSV, XLSX, Parquet. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { csvLine } from '@ncms/extracts';
import { openScratch, sqlString } from '@ncms/warehouse';

/** Streams rows to a UTF-8 CSV in large chunks. */
export class CsvSink {
  private out: WriteStream;
  private buf: string[] = [];
  rows = 0;
  private constructor(out: WriteStream) {
    this.out = out;
  }
  static async open(path: string, header: readonly string[], opts: { bom?: boolean } = {}): Promise<CsvSink> {
    await mkdir(dirname(path), { recursive: true });
    const sink = new CsvSink(createWriteStream(path));
    if (opts.bom) sink.buf.push('\uFEFF');
    sink.buf.push(csvLine(header));
    return sink;
  }
  async row(fields: readonly string[]): Promise<void> {
    this.buf.push(csvLine(fields));
    this.rows++;
    if (this.buf.length >= 8192) await this.flush();
  }
  private async flush(): Promise<void> {
    if (!this.buf.length) return;
    const chunk = this.buf.join('');
    this.buf = [];
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'close');
  }
}

export async function writeGbkCsv(path: string, header: readonly string[], rows: readonly (readonly string[])[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const text = [header, ...rows].map(csvLine).join('').replace(/\n/g, '\r\n'); // as Windows Excel writes it
  await writeFile(path, iconv.encode(text, 'gbk'));
}

/** XLSX with fixed document dates, so the same seed gives the same cell values and metadata. */
export async function writeXlsx(path: string, sheet: string, header: readonly string[], rows: readonly (readonly (string | number | boolean)[])[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const wb = new ExcelJS.Workbook();
  const fixed = new Date(Date.UTC(2006, 0, 1));
  wb.creator = 'ncms generate';
  wb.created = fixed;
  wb.modified = fixed;
  const ws = wb.addWorksheet(sheet);
  ws.addRow([...header]);
  for (const r of rows) ws.addRow([...r]);
  await wb.xlsx.writeFile(path);
}

/** Writes a CSV's rows to Parquet through DuckDB (one thread, so the bytes are repeatable). */
export async function csvToParquet(csvPath: string, parquetPath: string): Promise<void> {
  const wh = await openScratch(1);
  try {
    await wh.conn.run(
      `COPY (SELECT * FROM read_csv(${sqlString(csvPath)}, header = true, all_varchar = true))
       TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  } finally {
    wh.close();
    await rm(csvPath, { force: true });
  }
}
