/**
 * Forward-only schema migrations: `migrations/NNN_name.sql`, applied in order, each in
 * its own transaction, recorded in schema_migrations. Never edit an applied file:
 * add the next number.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { packageFile } from './package-files.ts';

const DIR = packageFile('@ncms/warehouse', 'src', 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migration files by name only (an open with nothing to apply reads none of them). */
async function migrationFiles(): Promise<{ version: number; name: string; file: string }[]> {
  const files = (await readdir(DIR)).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
  return files.map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), file: join(DIR, f) }));
}

export async function listMigrations(): Promise<Migration[]> {
  return Promise.all((await migrationFiles()).map(async (m) => ({ version: m.version, name: m.name, sql: await readFile(m.file, 'utf8') })));
}

export async function migrate(conn: DuckDBConnection): Promise<number[]> {
  await conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMPTZ DEFAULT now())`);
  const done = new Set(
    (await conn.runAndReadAll('SELECT version FROM schema_migrations')).getRowObjectsJS().map((r) => Number(r.version)),
  );
  const applied: number[] = [];
  for (const m of await migrationFiles()) {
    if (done.has(m.version)) continue;
    const sql = await readFile(m.file, 'utf8');
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(sql);
      await conn.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      await conn.run('COMMIT');
    } catch (e) {
      await conn.run('ROLLBACK');
      throw new Error(`迁移 ${m.version}_${m.name} 失败: ${(e as Error).message}`);
    }
    applied.push(m.version);
  }
  return applied;
}
