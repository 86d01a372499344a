export * from './database.ts';
export { migrate, listMigrations, type Migration } from './migrate.ts';
export type { DuckDBConnection } from '@duckdb/node-api';
