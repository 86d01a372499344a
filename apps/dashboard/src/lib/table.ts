/**
 * A table as data: its columns (label, the catalogue's unit, how to link a row) and its rows.
 * The same description drives the page's table, its CSV (UTF-8 with a BOM, so Excel reads the
 * Chinese) and its XLSX (numbers stored as numbers, built on the server).
 */
import { csvRow, isPerHeadMoney, type Unit as CatalogueUnit } from '@ncms/rules';
import { catalogueLabel } from './catalogue-labels.ts';
import { formatValue, moneyUnitFor, type MoneyUnit } from './format.ts';

export interface TableColumn {
  key: string;
  label: string;
  /** The catalogue's unit; 'text' for names and codes. */
  unit: CatalogueUnit | 'text';
  /** The cell's text when it is not the value as it is (a unit without a name shows its code). */
  text?: (row: Cells) => string;
  /** A link for the cell (drill-down). */
  href?: (row: Cells) => string | undefined;
  /** Money always in this unit (amounts per stay or per person read in 元, whatever their size). */
  money?: MoneyUnit;
}

export interface TableData {
  title: string;
  columns: TableColumn[];
  /** Plain objects keyed by the columns' keys (any row type of the query API). */
  rows: readonly object[];
}

type Cells = Record<string, unknown>;

/** Each money column's unit, chosen from its values (one unit per column, never mixed). */
export function moneyUnits(t: TableData): Record<string, MoneyUnit> {
  const out: Record<string, MoneyUnit> = {};
  for (const c of t.columns) if (c.unit === 'yuan') out[c.key] = c.money ?? moneyUnitFor(t.rows.map((r) => (r as Cells)[c.key] as string | null));
  return out;
}

/** A column's header with its unit: `住院补偿（万元）`, `参合率（%）`. */
export function header(c: TableColumn, units: Record<string, MoneyUnit>): string {
  const unit = c.unit === 'yuan' ? units[c.key] : c.unit === 'rate' ? '%' : c.unit === 'days' ? '天' : undefined;
  return unit ? `${c.label}（${unit}）` : c.label;
}

export function cell(c: TableColumn, row: object, units: Record<string, MoneyUnit>): string {
  const v = (row as Cells)[c.key];
  if (c.text) return c.text(row as Cells);
  if (c.unit === 'text') return v == null || v === '' ? '—' : String(v);
  return formatValue(v, c.unit, { money: units[c.key], column: c.key });
}

/**
 * CSV with a BOM: exact values (money as written, rates as fractions), headers with units; a
 * text that would run as a formula in a spreadsheet is neutralised (`csvRow`).
 */
export function toCsv(t: TableData): string {
  const lines = [csvRow(t.columns.map((c) => (c.unit === 'rate' ? `${c.label}（比例）` : c.unit === 'yuan' ? `${c.label}（元）` : c.label)))];
  for (const row of t.rows) {
    const r = row as Cells;
    lines.push(csvRow(t.columns.map((c) => (c.text ? c.text(r) : r[c.key] == null ? '' : Array.isArray(r[c.key]) ? (r[c.key] as unknown[]).join(';') : String(r[c.key])))));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** A column of the indicator catalogue, labelled and typed by the catalogue. */
export function catalogueColumn(column: string, opts: Partial<TableColumn> = {}): TableColumn {
  const [label, unit] = catalogueLabel(column) ?? [column, 'count'];
  // an average per stay or per person is read in 元 (次均住院费用 2,215.92 元, not 0.22 万元)
  const perHead = unit === 'yuan' && isPerHeadMoney(column);
  return { key: column, label, unit, ...(perHead ? { money: '元' as const } : {}), ...opts };
}

/** Whether a DuckDB column type holds numbers (sorted, aligned and stored as numbers). */
export const isNumericType = (type: string): boolean => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(type);

/** Rows sorted by a key (numbers or text), empty values last in either direction. */
export function sortRows<R>(rows: readonly R[], key: (r: R) => number | string | null, desc: boolean): R[] {
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * (desc ? -1 : 1);
  });
}
