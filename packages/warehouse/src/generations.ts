/**
 * The generation of each core table and year (core_generations, migration 015): set by every
 * write that changes core rows, in that write's transaction, so whether anything changed since
 * the analytics tables were refreshed is a lookup of a few rows, not a read of every row.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { rows } from './rows.ts';

/** The year column of each core table (the facility registry has none: its rows count as year 0). */
export const CORE_YEAR_COLUMN = {
  census: 'year',
  facilities: null,
  enrollment: 'year',
  claims: 'scheme_year',
  ledger: 'year',
} as const satisfies Record<string, string | null>;

export type CoreTable = keyof typeof CORE_YEAR_COLUMN;

/**
 * Records that batch `generation` changed the rows of `table` in `years`. Call it inside the
 * transaction that changed them, so the rows and their generation commit together.
 */
export async function bumpGenerations(conn: DuckDBConnection, table: CoreTable, years: readonly number[], generation: number): Promise<void> {
  const ys = [...new Set(years.map((y) => Math.trunc(y)))];
  if (!ys.length) return;
  await conn.run(`DELETE FROM core_generations WHERE kind = $1 AND year IN (${ys.join(', ')})`, [table]);
  await conn.run(`INSERT INTO core_generations SELECT $1, unnest([${ys.join(', ')}]), $2`, [table, generation]);
}

/** Every table's and year's generation, in a fixed order. */
export function coreGenerations(conn: DuckDBConnection): Promise<{ kind: string; year: number; generation: number }[]> {
  return rows(conn, 'SELECT kind, year, generation FROM core_generations ORDER BY kind, year');
}
