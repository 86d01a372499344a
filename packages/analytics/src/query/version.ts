/**
 * How fresh a year's numbers are and what they were computed from (derived_refresh): the
 * as-of time, the batches reflected, the census and policy used. Pages print it in their
 * footer; reports state it as their data version.
 */
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import { ANALYTICS_TABLES } from '../prepare/refresh.ts';

export interface DataVersion {
  year: number;
  asOf: string;
  /** The loaded batches (files) whose rows the numbers reflect. */
  batches: number[];
  /** A short stable name of the inputs: equal versions hold equal numbers. */
  version: string;
  censusYear: number | null;
  policyYear: number | null;
}

export async function dataVersion(conn: DuckDBConnection, year: number): Promise<DataVersion | undefined> {
  const [r] = await rows<{ asOf: string; batches: number[]; hash: string; censusYear: number | null; policyYear: number | null }>(
    conn,
    `SELECT strftime(refreshed_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S') AS "asOf", batches, inputs_hash AS hash,
            census_year AS "censusYear", policy_year AS "policyYear"
     FROM derived_refresh WHERE table_name = '${ANALYTICS_TABLES.indicators}' AND year = $1`,
    [year],
  );
  if (!r) return undefined;
  return { year, asOf: r.asOf, batches: r.batches, version: r.hash.slice(0, 12), censusYear: r.censusYear, policyYear: r.policyYear };
}

/** Plain-language notes on the data behind a year: the census and policy it was computed with. */
export function versionNotes(v: Pick<DataVersion, 'year' | 'censusYear' | 'policyYear'>): string[] {
  const notes: string[] = [];
  if (v.censusYear === null) notes.push(`${v.year} 年及以前没有人口统计 (no census)`);
  else if (v.censusYear !== v.year) notes.push(`${v.year} 年无人口统计，使用 ${v.censusYear} 年数据 (census of ${v.censusYear})`);
  if (v.policyYear === null) notes.push('未提供政策文件：目标、应筹资金、奖励与预警为空 (no policy: targets and warnings empty)');
  else if (v.policyYear !== v.year) notes.push(`${v.year} 年没有政策文件，沿用 ${v.policyYear} 年的政策 (using the ${v.policyYear} policy)`);
  return notes;
}
