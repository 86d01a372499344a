export * from './database.ts';
export { migrate, listMigrations, type Migration } from './migrate.ts';
export { rows, table, plainValue, converterFor, type Cell, type Row, type Column } from './rows.ts';
export { arrowTable, arrowStream } from './arrow.ts';
export { packageFile } from './package-files.ts';
export { bumpGenerations, coreGenerations, CORE_YEAR_COLUMN, type CoreTable } from './generations.ts';
export type { DuckDBConnection } from '@duckdb/node-api';
