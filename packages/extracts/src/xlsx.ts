/**
 * Streams the first worksheet of an XLSX workbook into a UTF-8 CSV whose first
 * column `__line` is the sheet row number, so quarantine lines match what the
 * user sees in Excel.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
// Loaded when a workbook is read: ExcelJS and its zip libraries cost a read command ~0.1 s to import.
import type ExcelJS from 'exceljs';
import { csvLine } from './csv-text.ts';

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Numbers this large in an extract are ID numbers or codes that Excel stored as
 * numbers and so lost digits; scientific notation lets the validator say so.
 */
const LOST_DIGITS = 1e11;

export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Math.abs(v) >= LOST_DIGITS ? v.toExponential() : String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return isoDate(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v);
}

/**
 * ExcelJS's streaming reader races on workbooks that store xl/workbook.xml after their sheets (as
 * ExcelJS itself writes them): a sheet can be parsed before the workbook part has been read, and
 * the read fails with "Cannot read properties of undefined (reading 'sheets')" (exceljs issue
 * #3064, open). The same bytes read again usually pass, so that one failure is tried again a few
 * times; the output file is written anew on each try.
 */
const WORKBOOK_RACE = /reading 'sheets'/;
const WORKBOOK_TRIES = 5;

export async function xlsxToCsv(path: string, outPath: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await xlsxFirstSheetToCsv(path, outPath);
    } catch (e) {
      if (!(e instanceof TypeError && WORKBOOK_RACE.test(e.message)) || attempt === WORKBOOK_TRIES) throw e;
    }
  }
}

async function xlsxFirstSheetToCsv(path: string, outPath: string): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const out = createWriteStream(outPath);
  let width = 0;
  let wroteHeader = false;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (!wroteHeader) {
          while (values.length && values[values.length - 1] === '') values.pop();
          width = values.length;
          wroteHeader = true;
          if (!out.write(csvLine(['__line', ...values]))) await once(out, 'drain');
          continue;
        }
        if (values.every((x) => x === '')) continue;
        values.length = width;
        const line = csvLine([String(row.number), ...Array.from(values, (x) => x ?? '')]);
        if (!out.write(line)) await once(out, 'drain');
      }
      break; // first sheet only
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}
