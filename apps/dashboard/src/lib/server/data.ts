/** What every page needs besides its own figures: the years with data, the townships, the data version. */
import { viewerTownship } from './filters';
import { dataVersion, versionNotes, type DataVersion } from '@ncms/analytics';
import type { Platform } from '@ncms/platform';
import { rows } from '@ncms/warehouse';

/** Years whose analytics tables are prepared, oldest first. */
export function preparedYears(platform: Platform): Promise<number[]> {
  return platform.read(async (conn) =>
    (await rows<{ year: number }>(conn, `SELECT DISTINCT year FROM derived_refresh WHERE table_name = 'analytics_year' ORDER BY year`)).map((r) => r.year),
  );
}

import type { Unit } from '$lib/types';
export type { Unit };

/** The townships of a year (census or enrolment), for the filter. */
export function townships(platform: Platform, year: number): Promise<Unit[]> {
  return platform.read((conn) =>
    rows<Unit>(conn, `SELECT division_code AS code, name FROM analytics_year WHERE year = $1 AND level = 'township' ORDER BY division_code`, [year]),
  );
}

export interface PageContext {
  years: number[];
  townships: Unit[];
  version: DataVersion | null;
  notes: string[];
}

export async function pageContext(platform: Platform, year: number): Promise<PageContext> {
  const years = await preparedYears(platform);
  if (!years.includes(year)) return { years, townships: [], version: null, notes: [] };
  const [units, version] = await Promise.all([townships(platform, year), platform.read((conn) => dataVersion(conn, year))]);
  return { years, townships: units, version: version ?? null, notes: version ? versionNotes(version) : [] };
}

/** A unit's name in a year (villages are not in the filter list). */
export async function unitName(platform: Platform, year: number, code: string): Promise<string | null> {
  const [r] = await platform.read((conn) => rows<{ name: string | null }>(conn, `SELECT name FROM analytics_year WHERE year = $1 AND division_code = $2`, [year, code]));
  return r?.name ?? null;
}

/**
 * A page's or answer's reads, remembered by the platform until the data changes (Platform.memo):
 * keyed by `scope` and the query string, which carries every filter a page reads.
 */
export function remember<T>(platform: Platform, scope: string, url: URL, read: () => Promise<T>): Promise<T> {
  const params = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
  // A township officer's view of a page differs from the county's at the same URL.
  return platform.memo(`${scope}|${viewerTownship() ?? ''}?${params}`, read);
}
