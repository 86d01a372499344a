/**
 * The township map of the enrolment page: the county's own GeoJSON (or the sample county's),
 * read once and again only when the file changes. A file that is missing means "no map" (the
 * page shows the ranking only); a file that is not a usable map is said so in the log and on
 * the page, never a crash.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Platform } from '@ncms/platform';
import { log } from './log';

export interface TownshipMap {
  /** GeoJSON FeatureCollection whose features carry `properties.name` (ECharts joins on it). */
  geoJson: { type: 'FeatureCollection'; features: { properties: { code: string; name: string } }[] };
  file: string;
}

let cached: { file: string; mtime: number; map: TownshipMap | { problem: string; file: string } } | undefined;

function check(json: unknown, file: string): TownshipMap | { problem: string; file: string } {
  const fc = json as TownshipMap['geoJson'];
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return { file, problem: `${file} 不是 GeoJSON FeatureCollection` };
  const bad = fc.features.findIndex((f) => !/^\d{9}$/.test(String(f?.properties?.code ?? '')));
  if (bad >= 0) return { file, problem: `${file} 第 ${bad + 1} 个要素缺少 9 位乡镇代码 properties.code` };
  // ECharts matches regions by name: name each region by its code so a renamed township still joins.
  for (const f of fc.features) f.properties.name = f.properties.code;
  return { geoJson: fc, file };
}

export async function townshipMap(platform: Platform): Promise<TownshipMap | { problem: string; file: string } | null> {
  for (const file of platform.config.mapFiles) {
    const st = await stat(file).catch(() => null);
    if (!st?.isFile()) continue;
    if (cached?.file === file && cached.mtime === st.mtimeMs) return cached.map;
    let map: TownshipMap | { problem: string; file: string };
    try {
      map = check(JSON.parse(await readFile(file, 'utf8')), file);
    } catch (e) {
      map = { file, problem: `${file} 无法读取：${(e as Error).message}` };
    }
    if ('problem' in map) log.warn(`乡镇地图不可用 (township map unusable): ${map.problem}`);
    cached = { file, mtime: st.mtimeMs, map };
    return map;
  }
  return null;
}
