import { csvLine } from '@ncms/extracts';
import { UsageError } from './cli-kit.ts';

export function parseFormat(v: unknown): 'csv' | 'json' {
  if (v === undefined || v === 'csv' || v === 'json') return (v ?? 'csv') as 'csv' | 'json';
  throw new UsageError([`--format 应为 csv 或 json (got "${String(v)}")`]);
}

/** Results on stdout: CSV with a header line, or a JSON array of objects with the same keys. */
export function formatRows(rows: readonly Record<string, unknown>[], columns: readonly string[], format: 'csv' | 'json'): string {
  if (format === 'json') return JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))), null, 2) + '\n';
  return csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))))).join('');
}
