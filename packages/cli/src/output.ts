/**
 * Results on stdout: CSV with a header line (lists joined by `;`, empty for null), or a JSON
 * array of objects with the same keys (money stays exact text, lists stay lists). With Chinese
 * labels the CSV gets Chinese headers and starts with a UTF-8 BOM so Excel reads it right; a text
 * that a spreadsheet would run as a formula is neutralised (`csvRow`), as in every export.
 */
import { csvRow } from '@ncms/rules';

const csvLine = (cells: readonly string[]) => `${csvRow(cells)}\n`;

export type Format = 'csv' | 'json';

const cell = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v));

export function formatRows(
  objects: readonly object[],
  columns: readonly string[],
  format: Format,
  opts: { header?: (column: string) => string; bom?: boolean } = {},
): string {
  const rows = objects as readonly Record<string, unknown>[];
  if (format === 'json') return JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))), null, 2) + '\n';
  const header = csvLine(columns.map((c) => opts.header?.(c) ?? c));
  return (opts.bom ? '\uFEFF' : '') + header + rows.map((r) => csvLine(columns.map((c) => cell(r[c])))).join('');
}
