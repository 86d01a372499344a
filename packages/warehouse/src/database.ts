/**
 * The one DuckDB database of the platform. A process opens a file once — one cached instance
 * per path, kept on `globalThis` so a dev-server reload or a second copy of this module finds
 * it — and every unit of work gets a connection of its own, so temp tables and settings never
 * leak between callers. Writers (loads, refreshes) run one at a time; readers run beside them
 * and see the last committed state (DuckDB's MVCC), never half a write.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { migrate } from './migrate.ts';
import { packageFile } from './package-files.ts';

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

/** A read command was given a database file that does not exist: nothing is created. */
export class DatabaseMissingError extends Error {
  constructor(readonly path: string) {
    super(`数据库文件不存在：${path}。请先用 ncms ingest 载入数据，或检查 --db 参数。(database file not found)`);
    this.name = 'DatabaseMissingError';
  }
}

/**
 * DuckDB could not write the database: the disk is full, the file may not grow, the file system
 * is read-only — or an earlier such failure made DuckDB stop writing this file altogether. The
 * write was rolled back; what was committed before is intact and can still be read.
 */
export class StorageError extends Error {
  constructor(
    readonly path: string,
    override readonly cause: Error,
    /** The database was opened again read-only: writes wait for a restart. */
    readonly readOnly = false,
  ) {
    const advice = readOnly
      ? '服务已转为只读，查询照常；请释放磁盘空间或检查文件权限，然后重启服务。'
      : '本次写入已撤销，此前的数据完好，查询不受影响；请释放磁盘空间或检查文件权限后重试。';
    super(`数据库无法写入（${storageReason(cause.message)}）：${path}。${advice}(the database could not be written: ${cause.message.split('\n')[0]})`);
    this.name = 'StorageError';
  }
}

const STORAGE_FAILURE = /Could not write file|No space left on device|File too large|Read-only file system|FATAL Error|database has been invalidated/;

/** Whether `e` is DuckDB failing to write its own files (not a bad input file it was reading). */
export function isStorageFailure(e: unknown): boolean {
  return e instanceof StorageError || (e instanceof Error && STORAGE_FAILURE.test(e.message));
}

function storageReason(message: string): string {
  if (/No space left on device/.test(message)) return '磁盘空间不足';
  if (/File too large/.test(message)) return '文件超出系统允许的大小';
  if (/Read-only file system/.test(message)) return '文件系统只读';
  if (/FATAL Error|database has been invalidated/.test(message)) return '此前的写入故障使数据库停止写入';
  return '写入文件失败';
}

export interface Warehouse {
  readonly path: string;
  readonly instance: DuckDBInstance;
  /** A new connection; the caller closes it (`closeSync`). Prefer `read` and `write`. */
  connect(): Promise<DuckDBConnection>;
  /** Runs `fn` on a connection of its own, closed afterwards. Readers run concurrently. */
  read<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  /** Runs `fn` on a connection of its own once every earlier writer has finished. */
  write<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  /**
   * Runs a small write at once, beside the queued writers: for tables none of them touches (the
   * audit log, accounts), which DuckDB's MVCC keeps apart from a load's transaction — so a sign-in
   * never waits for a load to finish.
   */
  writeBeside<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  /** Gives this handle back; the database closes when the last handle is closed. */
  close(): void;
}

interface Shared {
  instance: DuckDBInstance;
  key: string;
  refs: number;
  writers: Promise<unknown>;
}

const REGISTRY = Symbol.for('ncms.warehouse.registry');
type Registry = Map<string, Promise<Shared>>;
const registry: Registry = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= new Map()) as Registry;

const MACROS = readFile(packageFile('@ncms/warehouse', 'src', 'macros.sql'), 'utf8');

/**
 * Puts the current macros in place when macros.sql changed since it was last applied, or a
 * migration ran (one may have left an older definition). Otherwise nothing is written: creating
 * them again costs a read command ~0.1 s, and as much again to checkpoint at close.
 */
async function applyMacros(conn: DuckDBConnection, migrated: boolean): Promise<void> {
  const text = await MACROS;
  const hash = createHash('sha256').update(text).digest('hex');
  if (!migrated) {
    const [applied] = await query<{ hash: string }>(conn, 'SELECT file_hash AS hash FROM warehouse_macros');
    if (applied?.hash === hash) return;
  }
  await transaction(conn, async () => {
    await conn.run(text);
    await conn.run('DELETE FROM warehouse_macros');
    await conn.run('INSERT INTO warehouse_macros VALUES ($1)', [hash]);
  });
}

async function create(full: string, opts: OpenOptions, key: string): Promise<Shared> {
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
    instance = await DuckDBInstance.fromCache(full, config);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /Conflicting lock is held in (.*?)(?: \(PID (\d+)\))?\./.exec(msg);
    if (m) throw new DatabaseInUseError(full, m[2] ? `${m[1]}, PID ${m[2]}` : (m[1] ?? 'unknown'));
    throw e;
  }
  const conn = await instance.connect();
  try {
    // FSST would halve the size of ID-like text (ID numbers, claim and receipt numbers) but
    // costs a quarter of the time of every large write; dictionary, RLE and bit-packing stay.
    // Measured at scale 10: writes 1.14 s → 0.89 s per 1.9 M enrolees. (Set here: DuckDB
    // ignores it as an open-time option.)
    await conn.run("SET GLOBAL disabled_compression_methods = 'fsst'");
    if (!opts.readOnly) await applyMacros(conn, (await migrate(conn)).length > 0);
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    throw isStorageFailure(e) ? new StorageError(full, e as Error) : e;
  }
  conn.closeSync();
  return { instance, key, refs: 0, writers: Promise.resolve() };
}

/**
 * Opens (or joins) the database at `path`. Every call returns a handle to the same instance
 * while any handle is open; asking again with other options is an error, not a second instance.
 */
export async function openWarehouse(path: string, opts: OpenOptions = {}): Promise<Warehouse> {
  const full = resolve(path);
  const key = JSON.stringify([opts.threads ?? null, opts.memoryLimit ?? null, opts.readOnly ?? false]);
  let pending = registry.get(full);
  if (!pending) {
    pending = create(full, opts, key);
    registry.set(full, pending);
    pending.catch(() => registry.delete(full));
  }
  const shared = await pending;
  if (shared.key !== key) throw new Error(`数据库 ${full} 已在本进程以其他设置打开 (already open with other options: ${shared.key})`);
  shared.refs++;
  let closed = false;
  const withConnection = async <T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> => {
    const conn = await shared.instance.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  };
  const writing = <T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> =>
    withConnection(fn).catch((e: unknown) => {
      throw isStorageFailure(e) && !(e instanceof StorageError) ? new StorageError(full, e as Error) : e;
    });
  return {
    path: full,
    instance: shared.instance,
    connect: () => shared.instance.connect(),
    read: withConnection,
    write<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
      const run = shared.writers.then(() => writing(fn));
      shared.writers = run.catch(() => undefined);
      return run;
    },
    writeBeside: writing,
    close() {
      if (closed) return;
      closed = true;
      if (--shared.refs > 0) return;
      registry.delete(full);
      shared.instance.closeSync();
    },
  };
}

/** Opens a database that must already exist (read commands never create one). */
export async function openExistingWarehouse(path: string, opts: OpenOptions = {}): Promise<Warehouse> {
  if (!existsSync(resolve(path))) throw new DatabaseMissingError(resolve(path));
  return openWarehouse(path, opts);
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

/** Quotes an SQL string literal. */
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
  await conn.run(await MACROS);
  return {
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
