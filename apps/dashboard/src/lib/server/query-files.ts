/**
 * An analyst query's result as a file: CSV (UTF-8 with a BOM, so Excel reads the Chinese), XLSX
 * (numbers stored as numbers), Parquet and Arrow IPC (the column types the sandbox reported, kept
 * by loading the rows into a scratch in-memory DuckDB of this process — trusted code on rows,
 * not the analyst's SQL).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { QueryAnswer } from '@ncms/lake';
import { arrowStream, arrowTable, sqlString, type Cell } from '@ncms/warehouse';
import { csvRow } from '@ncms/rules';
import { isNumericType } from '$lib/table';

export const RESULT_FORMATS = ['csv', 'xlsx', 'parquet', 'arrow'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

export const RESULT_TYPES: Record<ResultFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
};
export const RESULT_EXTENSIONS: Record<ResultFormat, string> = { csv: 'csv', xlsx: 'xlsx', parquet: 'parquet', arrow: 'arrows' };

/** Column names made unique (`SELECT a, a` gives `a`, `a_2`): files need distinct headers. */
function uniqueNames(a: QueryAnswer): string[] {
  const seen = new Map<string, number>();
  return a.columns.map((c) => {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    return n === 1 ? c.name : `${c.name}_${n}`;
  });
}

const text = (v: Cell): string => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function csv(a: QueryAnswer): Buffer {
  const lines = [csvRow(uniqueNames(a)), ...a.rows.map((r) => csvRow(r.map(text)))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

async function xlsx(a: QueryAnswer): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '县级医保数据平台';
  const ws = wb.addWorksheet('查询结果');
  ws.addRow(uniqueNames(a)).font = { bold: true };
  const numeric = a.columns.map((c) => isNumericType(c.type));
  for (const r of a.rows) ws.addRow(r.map((v, i) => (v === null ? null : numeric[i] ? Number(v) : text(v))));
  a.columns.forEach((c, i) => {
    if (/^DECIMAL\(\d+,2\)/.test(c.type)) ws.getColumn(i + 1).numFmt = '#,##0.00';
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Parquet or Arrow: the rows loaded into a scratch DuckDB with their reported types. */
async function typed(a: QueryAnswer, format: 'parquet' | 'arrow'): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'ncms-result-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '512MB' });
  const conn = await instance.connect();
  try {
    const names = uniqueNames(a);
    const json = join(dir, 'rows.json');
    await writeFile(json, a.rows.map((r) => JSON.stringify(Object.fromEntries(r.map((v, i) => [names[i], v])))).join('\n'));
    const columns = `{${names.map((n, i) => `${sqlString(n)}: ${sqlString(a.columns[i]!.type)}`).join(', ')}}`;
    await conn.run(`CREATE TABLE result AS SELECT * FROM read_json(${sqlString(json)}, format = 'newline_delimited', columns = ${columns})`);
    if (format === 'arrow') return Buffer.from(arrowStream(await arrowTable(conn, 'SELECT * FROM result')));
    const out = join(dir, 'result.parquet');
    await conn.run(`COPY result TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`);
    return await readFile(out);
  } finally {
    conn.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

export function resultFile(a: QueryAnswer, format: ResultFormat): Promise<Buffer> {
  if (format === 'csv') return Promise.resolve(csv(a));
  if (format === 'xlsx') return xlsx(a);
  return typed(a, format);
}
