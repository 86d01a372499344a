/**
 * A cell of an exported CSV (the pages' tables, the analyst's results, the command line's
 * output): a text that a spreadsheet would run as a formula — beginning with `=`, `+`, `-`, `@`,
 * a tab or a carriage return, as a village or facility name from an extract may — gets a leading
 * `'` (OWASP's CSV-injection advice), so Excel shows `'=HYPERLINK(…)` as text instead of running
 * it. A number is not text: `-12.50` or `+3` stays the number it is. Extract files the pipeline
 * writes and reads back are data, not exports, and do not pass here.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The cell's text, neutralised when a spreadsheet would read it as a formula. */
export const neutraliseCell = (text: string): string => (FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text);

/** A field of an exported CSV: neutralised, then quoted when it holds a comma, quote or line break. */
export function csvCell(text: string): string {
  const v = neutraliseCell(text);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One line of an exported CSV, without its line break. */
export const csvRow = (cells: readonly string[]): string => cells.map(csvCell).join(',');
