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

/** Rows as plain objects (see the module note for the types). */
export async function rows<T = Row>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.convertRowObjects(plainValue) as T[];
}

/** Columns (name and type) and rows, for tables shown or exported as they are. */
export async function table(conn: DuckDBConnection, sql: string, params?: Params): Promise<{ columns: Column[]; rows: Row[] }> {
  const reader = await conn.runAndReadAll(sql, params);
  const columns = reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
  return { columns, rows: reader.convertRowObjects(plainValue) as Row[] };
}
