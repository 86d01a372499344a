/**
 * `ncms export`: the warehouse as Hive-partitioned Parquet (ZSTD), the layout Spark, Trino or a
 * provincial DuckDB read directly, and the analyst's masked snapshot. Set-based throughout: DuckDB
 * hashes each partition's rows and writes each changed partition with one COPY; JavaScript only
 * compares fingerprints. A second export rewrites only the partitions whose rows changed.
 *
 * Consistency: the whole export reads one snapshot of the warehouse (one transaction), so a load
 * that commits meanwhile is either wholly in it or wholly out. Files appear complete (written
 * under a temporary name, then renamed), new files never overwrite old ones (their names carry
 * the fingerprint), and the old ones are removed only after the new manifest is in place.
 */
import { mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { dataVersion } from '@ncms/analytics';
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import { LAKE_TABLES, type LakeTable } from './tables.ts';
import {
  MANIFEST_FORMAT, readManifest, writeManifest,
  type LakeColumn, type LakeManifest, type LakeManifestTable, type LakePartition,
} from './manifest.ts';

export interface ExportOptions {
  /** Names and ID numbers masked, persons given a keyed pseudonym (`person_key`). */
  mask?: boolean;
  /** Rows per Parquet row group (default 262,144: few, large groups for scanning engines). */
  rowGroupSize?: number;
  /** Only these tables (default: all of LAKE_TABLES). */
  tables?: readonly string[];
  onProgress?: (e: { table: string; index: number; total: number; written: number; kept: number }) => void;
}

export interface ExportResult {
  manifest: LakeManifest;
  /** Partitions written in this run, and those kept from the last one. */
  written: number;
  kept: number;
  removedFiles: number;
  seconds: number;
}

const HIVE_TYPES = { year: 'INTEGER', county: 'VARCHAR' };
const DEFAULT_ROW_GROUP = 262_144;

const q = (id: string) => `"${id.replaceAll('"', '""')}"`;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The county's 6-digit code: the analytics tables' county row, else the census or roll's prefix. */
async function countyCode(conn: DuckDBConnection): Promise<string> {
  const [r] = await rows<{ code: string | null }>(
    conn,
    `SELECT coalesce(
       (SELECT max(division_code) FROM analytics_year WHERE level = 'county'),
       (SELECT mode(left(division_code, 6)) FROM census),
       (SELECT mode(left(division_code, 6)) FROM enrollment)) AS code`,
  ).catch(() => rows<{ code: string | null }>(conn, `SELECT coalesce((SELECT mode(left(division_code, 6)) FROM census), (SELECT mode(left(division_code, 6)) FROM enrollment)) AS code`));
  return r?.code ?? '000000';
}

async function sourceColumns(conn: DuckDBConnection, from: string): Promise<LakeColumn[]> {
  return rows<LakeColumn>(
    conn,
    `SELECT column_name AS name, data_type AS type FROM duckdb_columns()
     WHERE table_name = $1 AND schema_name = 'main' AND database_name = current_database() ORDER BY column_index`,
    [from],
  );
}

/** The SELECT list of the files: partition key left out, personal data masked when asked. */
function selectList(t: LakeTable, cols: LakeColumn[], secret: string | undefined): { sql: string; columns: LakeColumn[] } {
  const out: { expr: string; col: LakeColumn }[] = [];
  for (const c of cols) {
    if (c.name === t.year || t.omit?.includes(c.name)) continue;
    if (secret !== undefined && c.name === t.personal?.id) {
      out.push({ expr: `mask_id(${q(c.name)}) AS ${q(c.name)}`, col: c });
      // Same person, same key in every table and every export of this warehouse; not reversible
      // without the secret. Letters only (hex digits moved to g–p), so no key can look like an ID number.
      out.push({ expr: `translate(substr(sha256(${lit(secret)} || ${q(c.name)}), 1, 16), '0123456789', 'ghijklmnop') AS person_key`, col: { name: 'person_key', type: 'VARCHAR' } });
    } else if (secret !== undefined && c.name === t.personal?.name) {
      out.push({ expr: `mask_name(${q(c.name)}) AS ${q(c.name)}`, col: c });
    } else {
      out.push({ expr: q(c.name), col: c });
    }
  }
  return { sql: out.map((o) => o.expr).join(', '), columns: out.map((o) => o.col) };
}

interface PartitionPrint {
  year: number | null;
  rows: number;
  fingerprint: string;
}

async function partitionPrints(conn: DuckDBConnection, t: LakeTable): Promise<PartitionPrint[]> {
  const year = t.year ? `CAST(${q(t.year)} AS INTEGER)` : 'NULL::INTEGER';
  const r = await rows<{ year: number | null; n: number; h: string }>(
    conn,
    `SELECT ${year} AS year, count(*) AS n, lower(lpad(to_hex(bit_xor(hash(s))), 16, '0')) AS h
     FROM ${q(t.from)} s GROUP BY ALL ORDER BY 1`,
  );
  return r.map((p) => ({ year: p.year, rows: Number(p.n), fingerprint: `${Number(p.n).toString(36)}-${p.h}` }));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

export async function exportLake(conn: DuckDBConnection, outDir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  const started = performance.now();
  const mask = opts.mask === true;
  const rowGroup = opts.rowGroupSize ?? DEFAULT_ROW_GROUP;
  await mkdir(outDir, { recursive: true });
  const previous = await readManifest(outDir);
  const tables = opts.tables ? LAKE_TABLES.filter((t) => opts.tables!.includes(t.name)) : LAKE_TABLES;

  await conn.run('BEGIN TRANSACTION');
  let manifest: LakeManifest;
  let written = 0;
  let kept = 0;
  try {
    const county = await countyCode(conn);
    const secret = mask ? (await rows<{ secret: string }>(conn, 'SELECT secret FROM lake_secret'))[0]?.secret : undefined;
    if (mask && !secret) throw new Error('数据库缺少脱敏密钥 (lake_secret is empty): 请用当前版本的 ncms 打开一次数据库以完成升级');
    // A partition can be kept only if it was written the same way (same county, same masking).
    const reusable = previous && previous.county === county && previous.masked === mask ? previous : undefined;
    const out: LakeManifestTable[] = [];
    for (const [index, t] of tables.entries()) {
      const cols = await sourceColumns(conn, t.from);
      const { sql: select, columns } = selectList(t, cols, secret);
      const before = reusable?.tables.find((x) => x.name === t.name);
      const sameShape = before && JSON.stringify(before.columns) === JSON.stringify(columns);
      const partitions: LakePartition[] = [];
      let tableWritten = 0;
      let tableKept = 0;
      for (const p of cols.length ? await partitionPrints(conn, t) : []) {
        const dir = t.year ? `${t.name}/year=${p.year}/county=${county}` : `${t.name}/county=${county}`;
        const file = `${dir}/part-${p.fingerprint}.parquet`;
        const part: LakePartition = { ...(t.year ? { year: p.year ?? undefined } : {}), county, file, rows: p.rows, fingerprint: p.fingerprint };
        const old = sameShape ? before.partitions.find((x) => x.file === file) : undefined;
        if (old && (await exists(join(outDir, file)))) {
          tableKept++;
        } else {
          const where = t.year ? (p.year === null ? `WHERE ${q(t.year)} IS NULL` : `WHERE ${q(t.year)} = ${p.year}`) : '';
          const target = join(outDir, file);
          const tmp = `${target}.tmp`;
          await mkdir(dirname(target), { recursive: true });
          await conn.run(
            `COPY (SELECT ${select} FROM ${q(t.from)} ${where}) TO ${lit(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroup})`,
          );
          await rename(tmp, target);
          tableWritten++;
        }
        partitions.push(part);
      }
      written += tableWritten;
      kept += tableKept;
      out.push({
        name: t.name, group: t.group, zh: t.zh, partitionedBy: t.year ? ['year', 'county'] : ['county'], columns,
        rows: partitions.reduce((s, p) => s + p.rows, 0), partitions,
      });
      opts.onProgress?.({ table: t.name, index, total: tables.length, written: tableWritten, kept: tableKept });
    }
    const years = [...new Set(out.flatMap((t) => t.partitions.map((p) => p.year)).filter((y): y is number => y !== undefined))].sort();
    const dataVersions = [];
    for (const y of years) {
      const v = await dataVersion(conn, y).catch(() => undefined);
      if (v) dataVersions.push({ year: y, version: v.version, asOf: v.asOf, batches: v.batches.map(Number) });
    }
    // Tables not exported this time keep their entries (an export of some tables only).
    const untouched = (reusable?.tables ?? []).filter((x) => !out.some((t) => t.name === x.name));
    manifest = {
      format: MANIFEST_FORMAT, exportedAt: new Date().toISOString(), county, masked: mask, hiveTypes: HIVE_TYPES, dataVersions,
      tables: [...out, ...untouched].sort((a, b) => LAKE_TABLES.findIndex((t) => t.name === a.name) - LAKE_TABLES.findIndex((t) => t.name === b.name)),
    };
  } finally {
    await conn.run('ROLLBACK');
  }
  await writeManifest(outDir, manifest);
  const current = new Set(manifest.tables.flatMap((t) => t.partitions.map((p) => p.file)));
  const obsolete = (previous?.tables ?? []).flatMap((t) => t.partitions.map((p) => p.file)).filter((f) => !current.has(f));
  for (const f of obsolete) await rm(join(outDir, f), { force: true });
  await removeEmptyFolders(outDir, obsolete);
  return { manifest, written, kept, removedFiles: obsolete.length, seconds: (performance.now() - started) / 1000 };
}

/** Partition folders left empty by removed files (a year that disappeared), deepest first. */
async function removeEmptyFolders(outDir: string, files: string[]): Promise<void> {
  const folders = new Set<string>();
  for (const f of files) for (let d = dirname(f); d !== '.' && d.includes('/'); d = dirname(d)) folders.add(d);
  for (const d of [...folders].sort((a, b) => b.length - a.length)) await rmdir(join(outDir, d)).catch(() => undefined);
}
