/**
 * ncms.config.json: the pipelines' part (time zone, sources and their schedules, the bad-row
 * limit, settle time: @ncms/pipelines parses it), where the county keeps its policy files, and
 * the fund's opening balance. Every key is optional; an unknown one is an error, not a silent typo.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError, parseConfig, type PipelineConfig } from '@ncms/pipelines';

export interface PlatformConfig {
  pipeline: PipelineConfig;
  /** The county's policy folder (`<year>.json`), resolved against the config file's folder. */
  policiesDir: string;
  /** The pool's balance before the first loaded year (元, exact text). */
  openingBalance: string;
  /**
   * Where the township map (GeoJSON, features with properties `code` and `name`) may be, in
   * order: the `map` key, else data/map/townships.geojson, else the sample county's.
   */
  mapFiles: string[];
  /** Scheduled backups: into `dir`, on the cron `schedule` (the pipelines' time zone), keeping `keep`. */
  backups?: { dir: string; keep: number; schedule: string };
  /**
   * The server: `origin`, the public address when a TLS proxy stands in front (`https://…`: the
   * CSRF check, `Secure` cookies and HSTS follow it); `folders`, further folders a browser session
   * may name for loading, backups and lake exports (beside the sources' and the backups' folders).
   */
  server: { origin?: string; folders: string[] };
  /** The largest extract the dashboard's upload box takes (`limits.uploadMB`, 512 MB by default). */
  uploadLimitBytes: number;
}

export const DEFAULT_UPLOAD_MB = 512;

const KNOWN = ['timezone', 'maxBadShare', 'settleSeconds', 'sources', 'policies', 'fund', 'map', 'backups', 'server', 'limits'];

/** A public origin: `http(s)://host[:port]`, nothing after it; undefined when it is not one. */
export function parseOrigin(raw: string): string | undefined {
  if (!/^https?:\/\/[^/?#\s]+\/?$/i.test(raw)) return undefined;
  try {
    const u = new URL(raw);
    return u.username || u.password ? undefined : u.origin;
  } catch {
    return undefined;
  }
}

export function parsePlatformConfig(json: unknown, where = 'ncms.config.json', base = process.cwd()): PlatformConfig {
  const pipeline = parseConfig(json, where);
  const o = json as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(o)) if (!KNOWN.includes(k)) problems.push(`${where}: 未知配置项 "${k}" (unknown key; known: ${KNOWN.join(', ')})`);
  let policiesDir = resolve(base, 'policies');
  if (o.policies !== undefined) {
    if (typeof o.policies !== 'string') problems.push(`${where}: policies 应为政策文件夹路径 (must be a folder path)`);
    else policiesDir = resolve(base, o.policies);
  }
  let openingBalance = '0';
  if (o.fund !== undefined) {
    const amount = (o.fund as { openingBalance?: { amount?: unknown } } | null)?.openingBalance?.amount;
    if (typeof amount !== 'number' && typeof amount !== 'string') problems.push(`${where}: fund.openingBalance.amount 应为以元计的金额 (an amount in 元)`);
    else if (!/^-?\d+(\.\d{1,2})?$/.test(String(amount))) problems.push(`${where}: fund.openingBalance.amount 最多两位小数 (at most 2 decimals; got ${String(amount)})`);
    else openingBalance = String(amount);
  }
  let mapFiles = [resolve(base, 'data/map/townships.geojson'), resolve(base, 'data/sample/map/townships.geojson')];
  if (o.map !== undefined) {
    if (typeof o.map !== 'string') problems.push(`${where}: map 应为乡镇地图 GeoJSON 文件的路径 (must be the path of the township GeoJSON)`);
    else mapFiles = [resolve(base, o.map)];
  }
  let backups: PlatformConfig['backups'];
  if (o.backups !== undefined) {
    const b = o.backups as { dir?: unknown; keep?: unknown; schedule?: unknown } | null;
    if (typeof b?.dir !== 'string') problems.push(`${where}: backups.dir 应为备份文件夹路径 (a folder path)`);
    else if (b.keep !== undefined && !(Number.isInteger(b.keep) && (b.keep as number) >= 1)) problems.push(`${where}: backups.keep 应为正整数 (a positive integer)`);
    else if (b.schedule !== undefined && typeof b.schedule !== 'string') problems.push(`${where}: backups.schedule 应为 cron 表达式，如 "0 2 * * *" (a cron expression)`);
    else backups = { dir: resolve(base, b.dir), keep: (b.keep as number | undefined) ?? 7, schedule: (b.schedule as string | undefined) ?? '0 2 * * *' };
  }
  const server: PlatformConfig['server'] = { folders: [] };
  if (o.server !== undefined) {
    const sv = o.server as { origin?: unknown; folders?: unknown } | null;
    const origin = typeof sv?.origin === 'string' ? parseOrigin(sv.origin) : undefined;
    if (sv?.origin !== undefined && !origin) problems.push(`${where}: server.origin 应为公开地址，如 "https://yibao.example.gov.cn" (scheme and host only; got ${JSON.stringify(sv?.origin)})`);
    else if (origin) server.origin = origin;
    if (sv?.folders !== undefined && !(Array.isArray(sv.folders) && sv.folders.every((f) => typeof f === 'string' && f.length > 0)))
      problems.push(`${where}: server.folders 应为文件夹路径的数组 (an array of folder paths)`);
    else server.folders = ((sv?.folders as string[] | undefined) ?? []).map((f) => resolve(base, f));
  }
  let uploadMB = DEFAULT_UPLOAD_MB;
  if (o.limits !== undefined) {
    const l = o.limits as { uploadMB?: unknown } | null;
    const unknown = l && typeof l === 'object' ? Object.keys(l).filter((k) => k !== 'uploadMB') : [];
    if (!l || typeof l !== 'object' || unknown.length) problems.push(`${where}: limits 只有 uploadMB 一项，如 { "uploadMB": 512 } (known: uploadMB)`);
    else if (l.uploadMB !== undefined && !(Number.isInteger(l.uploadMB) && (l.uploadMB as number) >= 1)) problems.push(`${where}: limits.uploadMB 应为正整数（以 MB 计） (a positive integer of MB)`);
    else uploadMB = (l.uploadMB as number | undefined) ?? DEFAULT_UPLOAD_MB;
  }
  if (problems.length) throw new ConfigError(problems.join('\n'));
  for (const s of pipeline.sources) s.dir = resolve(base, s.dir);
  return { pipeline, policiesDir, openingBalance, mapFiles, uploadLimitBytes: uploadMB * 1024 * 1024, ...(backups ? { backups } : {}), server };
}

/** Reads the config file; a missing file means the defaults (policies/ beside it, data/incoming). */
export async function loadPlatformConfig(path = 'ncms.config.json'): Promise<PlatformConfig> {
  const full = resolve(path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return parsePlatformConfig({}, full, dirname(full));
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${full}: 不是有效的 JSON (not valid JSON: ${(e as Error).message})`);
  }
  return parsePlatformConfig(json, full, dirname(full));
}
