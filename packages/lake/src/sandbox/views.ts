/**
 * One view per table of a lake export, over the files its manifest lists (not a glob: a file
 * being replaced by a concurrent export is never read twice), with the partition keys typed as
 * the manifest says. A table with no rows still has its columns, so a query naming them works.
 */
import { join } from 'node:path';
import type { LakeManifest } from '../export/manifest.ts';

const q = (id: string) => `"${id.replaceAll('"', '""')}"`;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

export function snapshotViews(dir: string, m: LakeManifest): { name: string; sql: string }[] {
  return m.tables.map((t) => {
    const hiveTypes = `{${t.partitionedBy.map((k) => `${lit(k)}: ${m.hiveTypes[k] ?? 'VARCHAR'}`).join(', ')}}`;
    const keys = t.partitionedBy.map((k) => `NULL::${m.hiveTypes[k] ?? 'VARCHAR'} AS ${q(k)}`);
    const body = t.partitions.length
      ? `SELECT * FROM read_parquet([${t.partitions.map((p) => lit(join(dir, p.file))).join(', ')}], hive_partitioning = true, hive_types = ${hiveTypes})`
      : `SELECT ${[...t.columns.map((c) => `NULL::${c.type} AS ${q(c.name)}`), ...keys].join(', ')} WHERE false`;
    return { name: t.name, sql: `CREATE OR REPLACE VIEW ${q(t.name)} AS ${body}` };
  });
}
