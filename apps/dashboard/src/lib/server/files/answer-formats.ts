/**
 * An analyst query's result as a file's content: CSV (UTF-8 with a BOM, so Excel reads the
 * Chinese), XLSX (numbers stored as numbers) and the newline-delimited JSON that DuckDB loads
 * with the reported column types for Parquet and Arrow. Pure functions of the answer; they run
 * in the file worker.
 */
import ExcelJS from 'exceljs';
import type { QueryAnswer } from '@ncms/lake';
import type { Cell, Column } from '@ncms/warehouse';
import { csvRow } from '@ncms/rules';
import { isNumericType } from '$lib/table';

/** What the server says about a file besides its bytes. */
export interface AnswerFile {
  columns: Column[];
  rows: number;
  truncated: boolean;
}

/** Column names made unique (`SELECT a, a` gives `a`, `a_2`): files need distinct headers. */
export function uniqueNames(columns: readonly Column[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((c) => {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    return n === 1 ? c.name : `${c.name}_${n}`;
  });
}

const text = (v: Cell): string => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function answerCsv(a: QueryAnswer): Uint8Array {
  const lines = [csvRow(uniqueNames(a.columns)), ...a.rows.map((r) => csvRow(r.map(text)))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function answerXlsx(a: QueryAnswer): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '县级医保数据平台';
  const ws = wb.addWorksheet('查询结果');
  ws.addRow(uniqueNames(a.columns)).font = { bold: true };
  const numeric = a.columns.map((c) => isNumericType(c.type));
  for (const r of a.rows) ws.addRow(r.map((v, i) => (v === null ? null : numeric[i] ? Number(v) : text(v))));
  a.columns.forEach((c, i) => {
    if (/^DECIMAL\(\d+,2\)/.test(c.type)) ws.getColumn(i + 1).numFmt = '#,##0.00';
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function answerNdjson(a: QueryAnswer): string {
  const names = uniqueNames(a.columns);
  return a.rows.map((r) => JSON.stringify(Object.fromEntries(r.map((v, i) => [names[i], v])))).join('\n');
}
