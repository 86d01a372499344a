/**
 * A page's table as an Excel workbook: the headers the page shows (with their units), money as
 * numbers in 元 with two decimals, rates as percentages, counts as integers, text as text, so a
 * county office can sum and chart it in Excel without retyping. Built from the same table
 * description as the page and the CSV.
 */
import ExcelJS from 'exceljs';
import type { TableData } from '$lib/table';

const FORMATS: Record<string, string> = { yuan: '#,##0.00', rate: '0.0%', days: '0.0', people: '#,##0', households: '#,##0', count: '#,##0' };

function headerOf(c: TableData['columns'][number]): string {
  return c.unit === 'yuan' ? `${c.label}（元）` : c.label;
}

export async function tableToXlsx(t: TableData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  // Fixed dates: the same table gives the same workbook.
  wb.created = wb.modified = new Date(Date.UTC(2000, 0, 1));
  wb.creator = '县级医保数据平台';
  const ws = wb.addWorksheet(t.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' ') || '数据');
  ws.addRow([t.title]).font = { bold: true, size: 13 };
  const header = ws.addRow(t.columns.map(headerOf));
  header.font = { bold: true };
  for (const row of t.rows) {
    const r = row as Record<string, unknown>;
    ws.addRow(
      t.columns.map((c) => {
        const v = r[c.key];
        if (v == null || v === '') return null;
        if (Array.isArray(v)) return v.join('、');
        if (c.unit === 'text' || c.unit === 'codes') return String(v);
        const n = Number(v);
        return Number.isFinite(n) ? n : String(v);
      }),
    );
  }
  t.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    if (FORMATS[c.unit]) col.numFmt = FORMATS[c.unit]!;
    col.width = Math.min(40, Math.max(10, headerOf(c).length * 2 + 2));
  });
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A table posted for export: at most this many rows and columns (a table built from a query on the server has its own caps). */
export const POSTED_ROWS = 20_000;
export const POSTED_COLUMNS = 200;

/**
 * Checks a table sent by a page: columns with keys, labels and units; rows as objects; within
 * the caps (TooLargeError past them, so the answer is 413 naming the cap).
 */
export function readTableBody(body: unknown): TableData | undefined {
  const t = body as TableData;
  if (!t || typeof t.title !== 'string' || !Array.isArray(t.columns) || !Array.isArray(t.rows)) return undefined;
  if (!t.columns.every((c) => c && typeof c.key === 'string' && typeof c.label === 'string' && typeof c.unit === 'string')) return undefined;
  if (t.rows.length > POSTED_ROWS) throw new TooLargeRowsError(`表格有 ${t.rows.length.toLocaleString('en-US')} 行，超过导出上限 ${POSTED_ROWS.toLocaleString('en-US')} 行：请先筛选（年份、乡镇）再导出 (too many rows)`);
  if (t.columns.length > POSTED_COLUMNS) throw new TooLargeRowsError(`表格有 ${t.columns.length} 列，超过导出上限 ${POSTED_COLUMNS} 列 (too many columns)`);
  return t;
}

/** A posted table past the row or column cap (the name survives the trip from the worker). */
export class TooLargeRowsError extends Error {
  override name = 'TooLargeRowsError';
}

/** A posted body that is not a table. */
export class NotATableError extends Error {
  override name = 'NotATableError';
}

/** The posted body (JSON text) read, checked and built into a workbook: all of it work for the file worker. */
export async function postedTableToXlsx(body: string): Promise<{ file: Uint8Array; title: string }> {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(body);
  } catch {
    // answered below as not a table
  }
  const table = readTableBody(parsed);
  if (!table) throw new NotATableError('请求体应为表格：{ title, columns: [{ key, label, unit }], rows: [...] }');
  return { file: await tableToXlsx(table), title: table.title };
}
