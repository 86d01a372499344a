/**
 * The lake's manifest (`manifest.json`): which tables, columns, partitions and files the export
 * holds, how many rows, and the data version they reflect. Readers that do not list directories
 * take the files from here; the next export compares its partitions' fingerprints with these to
 * rewrite only what changed. Written last and renamed into place, so it never names a file that
 * is not complete.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'ncms-lake/1';

export interface LakePartition {
  /** Scheme year; absent for tables partitioned by county only. */
  year?: number;
  county: string;
  /** Relative to the export folder, `/`-separated. */
  file: string;
  rows: number;
  /** Count and order-free hash of the source rows: equal fingerprints hold equal rows. */
  fingerprint: string;
}

export interface LakeColumn {
  name: string;
  type: string;
}

export interface LakeManifestTable {
  name: string;
  group: string;
  zh: string;
  /** `['year', 'county']` or `['county']`: the Hive partition keys, in path order. */
  partitionedBy: string[];
  /** The columns inside the files (partition keys excluded). */
  columns: LakeColumn[];
  rows: number;
  partitions: LakePartition[];
}

export interface LakeManifest {
  format: typeof MANIFEST_FORMAT;
  exportedAt: string;
  county: string;
  masked: boolean;
  /** The types to give the partition keys when reading (`hive_types` in DuckDB). */
  hiveTypes: Record<string, string>;
  /** Per scheme year: the analytics data version the derived tables reflect. */
  dataVersions: { year: number; version: string; asOf: string; batches: number[] }[];
  tables: LakeManifestTable[];
}

export async function readManifest(dir: string): Promise<LakeManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const m = JSON.parse(text) as LakeManifest;
  if (m.format !== MANIFEST_FORMAT) throw new Error(`${join(dir, MANIFEST_FILE)} 不是本平台的导出清单 (format ${String(m.format)}, expected ${MANIFEST_FORMAT})`);
  return m;
}

export async function writeManifest(dir: string, m: LakeManifest): Promise<void> {
  const tmp = join(dir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(m, null, 2) + '\n');
  await rename(tmp, join(dir, MANIFEST_FILE));
}
