/**
 * Backups: a consistent snapshot of the whole warehouse — every table, view, macro and sequence
 * (with its current value) — written by DuckDB's EXPORT DATABASE as ZSTD Parquet in one
 * statement, so one transaction's view of the data, taken while the server keeps answering and
 * loading. A backup folder holds `backup.json` (each table's rows); a restore builds a new
 * database file from it with IMPORT DATABASE, checks every table's rows against that list, and
 * only then moves the file into place. Nothing is ever restored over an existing database.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { rows, sqlString, type DuckDBConnection } from '@ncms/warehouse';

export const BACKUP_FORMAT = 'ncms-backup/1';
export const BACKUP_MANIFEST = 'backup.json';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  created: string;
  source: string;
  /** Rows of every base table when the snapshot was taken. */
  tables: Record<string, number>;
}

export class BackupError extends Error {}

const tableCounts = async (conn: DuckDBConnection): Promise<Record<string, number>> => {
  const names = await rows<{ name: string }>(conn, `SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary ORDER BY name`);
  if (!names.length) return {};
  const counts = await rows<{ name: string; n: number }>(conn, names.map((t) => `SELECT ${sqlString(t.name)} AS name, count(*)::BIGINT AS n FROM "${t.name}"`).join(' UNION ALL '));
  return Object.fromEntries(counts.map((c) => [c.name, Number(c.n)]));
};

/** `ncms-backup-20261201-023000` in the county's time. */
function stamp(d: Date): string {
  const local = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  return `ncms-backup-${local.slice(0, 10).replaceAll('-', '')}-${local.slice(11, 19).replaceAll(':', '')}`;
}

/**
 * Writes a backup of the database `conn` reads into a new folder under `outDir`; returns its path.
 * The counts and the export are one transaction's view.
 */
export async function backupDatabase(conn: DuckDBConnection, outDir: string, source: string, now = new Date()): Promise<{ dir: string; manifest: BackupManifest }> {
  const dir = join(resolve(outDir), stamp(now));
  if (existsSync(dir)) throw new BackupError(`备份文件夹已存在 (exists): ${dir}`);
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(resolve(outDir), { recursive: true });
  await conn.run('BEGIN TRANSACTION');
  let manifest: BackupManifest;
  try {
    manifest = { format: BACKUP_FORMAT, created: now.toISOString(), source, tables: await tableCounts(conn) };
    await conn.run(`EXPORT DATABASE ${sqlString(partial)} (FORMAT parquet, COMPRESSION zstd)`);
    await conn.run('COMMIT');
    const schema = join(partial, 'schema.sql');
    await writeFile(schema, macrosInDependencyOrder(await readFile(schema, 'utf8')));
  } catch (e) {
    await conn.run('ROLLBACK').catch(() => undefined);
    await rm(partial, { recursive: true, force: true });
    throw e;
  }
  await writeFile(join(partial, BACKUP_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  await rename(partial, dir);
  return { dir, manifest };
}

export async function readBackupManifest(dir: string): Promise<BackupManifest> {
  let m: BackupManifest;
  try {
    m = JSON.parse(await readFile(join(dir, BACKUP_MANIFEST), 'utf8')) as BackupManifest;
  } catch {
    throw new BackupError(`${dir} 不是备份文件夹：缺少或无法读取 ${BACKUP_MANIFEST} (not a backup folder)`);
  }
  if (m.format !== BACKUP_FORMAT) throw new BackupError(`${dir}: 不认识的备份格式 ${String(m.format)} (unknown backup format)`);
  return m;
}

/**
 * EXPORT DATABASE writes macros in the catalogue's order, which after the file is reopened is
 * alphabetical: `gb11643_check` (which calls `gb11643_check_n`) comes first and IMPORT DATABASE
 * fails on it. The schema's macro lines (one statement a line) are put in dependency order —
 * each after the macros its body calls — in the slots the macros held; everything else stays.
 */
export function macrosInDependencyOrder(schemaSql: string): string {
  const lines = schemaSql.split('\n');
  const MACRO = /^CREATE MACRO ([A-Za-z_][A-Za-z0-9_]*) /;
  const slots = lines.flatMap((l, i) => (MACRO.test(l) ? [i] : []));
  const byName = new Map(slots.map((i) => [MACRO.exec(lines[i]!)![1]!, lines[i]!]));
  const calls = (body: string) => [...byName.keys()].filter((n) => new RegExp(`(?<![A-Za-z0-9_.])${n}\\s*\\(`).test(body));
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (name: string, path: Set<string>) => {
    if (placed.has(name) || path.has(name)) return;
    path.add(name);
    const line = byName.get(name)!;
    for (const dep of calls(line.slice(line.indexOf(' AS ')))) if (dep !== name) place(dep, path);
    placed.add(name);
    ordered.push(line);
  };
  for (const name of byName.keys()) place(name, new Set());
  slots.forEach((slot, k) => (lines[slot] = ordered[k]!));
  return lines.join('\n');
}

/** Restores a backup folder into a new database file `db` (which must not exist yet). */
export async function restoreDatabase(fromDir: string, db: string): Promise<BackupManifest> {
  const target = resolve(db);
  if (existsSync(target)) throw new BackupError(`数据库文件已存在，不会覆盖：${target}。请先移走或换一个文件名 (the database exists; it is never overwritten)`);
  const manifest = await readBackupManifest(fromDir);
  const building = `${target}.restoring`;
  await rm(building, { force: true });
  await rm(`${building}.wal`, { force: true });
  await mkdir(resolve(target, '..'), { recursive: true });
  const instance = await DuckDBInstance.create(building);
  const conn = await instance.connect();
  try {
    await conn.run(`IMPORT DATABASE ${sqlString(resolve(fromDir))}`);
    const restored = await tableCounts(conn);
    const wrong = Object.entries(manifest.tables).filter(([t, n]) => restored[t] !== n);
    if (wrong.length) throw new BackupError(`恢复后行数不符 (row counts differ): ${wrong.map(([t, n]) => `${t} ${restored[t] ?? '缺失'} ≠ ${n}`).join('；')}`);
    await conn.run('CHECKPOINT');
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    await rm(building, { force: true });
    await rm(`${building}.wal`, { force: true });
    throw e;
  }
  conn.closeSync();
  instance.closeSync();
  await rename(building, target);
  return manifest;
}

/** Removes the oldest backups under `outDir`, keeping the newest `keep`. Returns those removed. */
export async function pruneBackups(outDir: string, keep: number): Promise<string[]> {
  const all = (await readdir(outDir).catch(() => [] as string[])).filter((n) => /^ncms-backup-\d{8}-\d{6}$/.test(n)).sort();
  const old = all.slice(0, Math.max(0, all.length - keep));
  for (const n of old) await rm(join(outDir, n), { recursive: true, force: true });
  return old.map((n) => join(outDir, n));
}
