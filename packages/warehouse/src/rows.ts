/**
 * Results as plain values a caller can hand to JSON, a page or a file without thinking about
 * DuckDB's types: money (DECIMAL) as exact text "1234.50", counts (BIGINT, HUGEINT) as
 * numbers, dates as "YYYY-MM-DD", lists as arrays. No `bigint` and no binary float of money
 * ever reaches a caller.
 */
import {
  DuckDBTypeId, JsonDuckDBValueConverter, type DuckDBConnection, type DuckDBType, type DuckDBValue, type DuckDBValueConverter, type Json,
} from '@duckdb/node-api';
import type { Params } from './database.ts';

export type Cell = string | number | boolean | null | Cell[] | { [key: string]: Cell };
export type Row = Record<string, Cell>;

export interface Column {
  name: string;
  /** DuckDB's type name, e.g. DECIMAL(18,2), BIGINT, VARCHAR. */
  type: string;
}

const WIDE_INTEGERS = new Set<DuckDBTypeId>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);
const AS_IS = new Set<DuckDBTypeId>([
  DuckDBTypeId.VARCHAR, DuckDBTypeId.BOOLEAN, DuckDBTypeId.INTEGER, DuckDBTypeId.SMALLINT, DuckDBTypeId.TINYINT,
  DuckDBTypeId.UINTEGER, DuckDBTypeId.USMALLINT, DuckDBTypeId.UTINYINT,
]);

/** Counts become numbers (text only beyond 2^53, which no count here reaches); everything else as DuckDB's JSON form. */
export const plainValue: DuckDBValueConverter<Json> = (value: DuckDBValue, type: DuckDBType, converter: DuckDBValueConverter<Json>) => {
  if (value === null) return null;
  if (WIDE_INTEGERS.has(type.typeId)) {
    const n = Number(value as bigint);
    return Number.isSafeInteger(n) ? n : String(value);
  }
  if ((type.typeId === DuckDBTypeId.DOUBLE || type.typeId === DuckDBTypeId.FLOAT) && !Number.isFinite(value as number)) return null;
  return JsonDuckDBValueConverter(value, type, converter);
};

/** One column's converter, chosen once per column rather than once per value. */
export function converterFor(type: DuckDBType): (v: DuckDBValue) => Cell {
  if (AS_IS.has(type.typeId)) return (v) => v as Cell;
  if (type.typeId === DuckDBTypeId.DOUBLE || type.typeId === DuckDBTypeId.FLOAT) return (v) => (v === null || !Number.isFinite(v as number) ? null : (v as number));
  if (type.typeId === DuckDBTypeId.DECIMAL || type.typeId === DuckDBTypeId.DATE) return (v) => (v === null ? null : String(v));
  return (v) => plainValue(v, type, plainValue) as Cell;
}

/** Rows as plain objects (see the module note for the types). */
export async function rows<T = Row>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  return (await table(conn, sql, params)).rows as T[];
}

/** Columns (name and type) and rows, for tables shown or exported as they are. */
export async function table(conn: DuckDBConnection, sql: string, params?: Params): Promise<{ columns: Column[]; rows: Row[] }> {
  const reader = await conn.runAndReadAll(sql, params);
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const convert = types.map(converterFor);
  const values = reader.getColumns();
  const n = reader.currentRowCount;
  const out: Row[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = convert[c]!(values[c]![r]!);
    out[r] = row;
  }
  return { columns: names.map((name, i) => ({ name, type: types[i]!.toString() })), rows: out };
}
