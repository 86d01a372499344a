/**
 * The one DuckDB database of the platform. A process opens it once (cached per
 * path, also across dev-server reloads) and hands out connections from it.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { migrate } from './migrate.ts';

export const DEFAULT_DB_PATH = 'data/ncms.duckdb';

export interface OpenOptions {
  /** DuckDB threads; default: all cores. */
  threads?: number;
  /** DuckDB memory_limit, e.g. '4GB'; default 4GB so a laptop keeps its memory. */
  memoryLimit?: string;
  readOnly?: boolean;
}

/** The file is held by another process (DuckDB allows one writer per file). */
export class DatabaseInUseError extends Error {
  constructor(
    readonly path: string,
    readonly holder: string,
  ) {
    super(`数据库 ${path} 正被另一个进程使用（${holder}）。请通过运行中的服务操作，或先停止该进程。`);
    this.name = 'DatabaseInUseError';
  }
}

export interface Warehouse {
  readonly path: string;
  readonly instance: DuckDBInstance;
  /** The connection that writes; pipelines serialise their loads on it. */
  readonly conn: DuckDBConnection;
  connect(): Promise<DuckDBConnection>;
  close(): void;
}

export async function openWarehouse(path: string, opts: OpenOptions = {}): Promise<Warehouse> {
  const full = resolve(path);
  if (!opts.readOnly) await mkdir(dirname(full), { recursive: true });
  const config: Record<string, string> = {
    memory_limit: opts.memoryLimit ?? '4GB',
    // Keep insertion order so staged rows keep their file order (line numbers).
    preserve_insertion_order: 'true',
  };
  if (opts.threads) config.threads = String(opts.threads);
  if (opts.readOnly) config.access_mode = 'READ_ONLY';
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(full, config);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /Conflicting lock is held in (.*?)(?: \(PID (\d+)\))?\./.exec(msg);
    if (m) throw new DatabaseInUseError(full, m[2] ? `${m[1]}, PID ${m[2]}` : (m[1] ?? 'unknown'));
    throw e;
  }
  const conn = await instance.connect();
  // FSST would halve the size of ID-like text (ID numbers, claim and receipt numbers) but
  // costs a quarter of the time of every large write; dictionary, RLE and bit-packing stay.
  // Measured at scale 10: writes 1.14 s → 0.89 s per 1.9 M enrolees. (Set here: DuckDB
  // ignores it as an open-time option.)
  await conn.run("SET GLOBAL disabled_compression_methods = 'fsst'");
  if (!opts.readOnly) await migrate(conn);
  return {
    path: full,
    instance,
    conn,
    connect: () => instance.connect(),
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

/** Rows as JSON-safe objects: DECIMAL and BIGINT arrive as strings, so money stays exact. */
export async function queryJson<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJson() as T[];
}

/** Rows with JS values; BIGINT counts become numbers (they are far below 2^53 here). */
export async function query<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJS().map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
    return out as T;
  });
}

/** Runs fn inside one transaction; rolls back on any error so a file loads whole or not at all. */
export async function transaction<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const out = await fn();
    await conn.run('COMMIT');
    return out;
  } catch (e) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Quotes an SQL string literal. */
/**
 * Runs `fn` with a DuckDB setting changed on this connection, and puts the previous value
 * back afterwards, whatever happens.
 */
export async function withSetting<T>(conn: DuckDBConnection, name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const [{ v } = { v: '' }] = await query<{ v: string }>(conn, `SELECT current_setting(${sqlString(name)})::VARCHAR AS v`);
  await conn.run(`SET ${sqlIdent(name)} = ${sqlString(value)}`);
  try {
    return await fn();
  } finally {
    await conn.run(`SET ${sqlIdent(name)} = ${sqlString(v)}`);
  }
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Quotes an SQL identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** An in-memory DuckDB with the schema and SQL helpers, for work on files alone (nothing on disk). */
export async function openScratch(threads = 1): Promise<{ conn: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads), memory_limit: '1GB' });
  const conn = await instance.connect();
  await migrate(conn);
  return {
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
