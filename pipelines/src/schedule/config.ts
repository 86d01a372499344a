/**
 * Scheduler configuration: which source directories to pull, each kind on its own
 * cron schedule (Asia/Shanghai). Read from ncms.config.json when present.
 */
import { readFile } from 'node:fs/promises';
import { KIND_ORDER, isKindName, type KindName } from '@ncms/extracts';

export interface SourceConfig {
  dir: string;
  schedules: Partial<Record<KindName, string>>;
}

export interface PipelineConfig {
  timezone: string;
  maxBadShare: number;
  /** A file modified less than this many seconds ago is left for the next run (it may still be being copied in). */
  settleSeconds: number;
  sources: SourceConfig[];
}

/**
 * Defaults follow the office's rhythm: hospital settlements hourly, the enrolment roll
 * every 30 minutes during campaigns, the ledger nightly, registry and census nightly.
 */
export const DEFAULT_SCHEDULES: Record<KindName, string> = {
  census: '0 2 * * *',
  facilities: '10 2 * * *',
  enrollment: '*/30 * * * *',
  his: '5 * * * *',
  ledger: '20 2 * * *',
};

export function defaultConfig(sourceDir = 'data/incoming'): PipelineConfig {
  return { timezone: 'Asia/Shanghai', maxBadShare: 0.05, settleSeconds: 60, sources: [{ dir: sourceDir, schedules: { ...DEFAULT_SCHEDULES } }] };
}

export class ConfigError extends Error {}

export function parseConfig(json: unknown, where = 'ncms.config.json'): PipelineConfig {
  const problems: string[] = [];
  const cfg = defaultConfig();
  if (typeof json !== 'object' || json === null) throw new ConfigError(`${where}: 应为 JSON 对象 (expected an object)`);
  const o = json as Record<string, unknown>;
  if (o.timezone !== undefined) {
    if (typeof o.timezone !== 'string') problems.push(`${where}: timezone must be a string such as "Asia/Shanghai"`);
    else cfg.timezone = o.timezone;
  }
  if (o.maxBadShare !== undefined) {
    if (typeof o.maxBadShare !== 'number' || o.maxBadShare < 0 || o.maxBadShare > 1) problems.push(`${where}: maxBadShare must be a number from 0 to 1`);
    else cfg.maxBadShare = o.maxBadShare;
  }
  if (o.settleSeconds !== undefined) {
    if (typeof o.settleSeconds !== 'number' || !(o.settleSeconds >= 0)) problems.push(`${where}: settleSeconds must be a number of seconds, 0 or more`);
    else cfg.settleSeconds = o.settleSeconds;
  }
  if (o.sources !== undefined) {
    if (!Array.isArray(o.sources)) problems.push(`${where}: sources must be an array`);
    else {
      cfg.sources = o.sources.map((s: unknown, i: number) => {
        const src = (s ?? {}) as Record<string, unknown>;
        if (typeof src.dir !== 'string') problems.push(`${where}: sources[${i}].dir must be a directory path`);
        const schedules: Partial<Record<KindName, string>> = { ...DEFAULT_SCHEDULES };
        if (src.schedules !== undefined) {
          for (const [k, v] of Object.entries(src.schedules as Record<string, unknown>)) {
            if (!isKindName(k)) problems.push(`${where}: sources[${i}].schedules.${k} is not a kind (${KIND_ORDER.join(', ')})`);
            else if (v === null) delete schedules[k];
            else if (typeof v !== 'string') problems.push(`${where}: sources[${i}].schedules.${k} must be a cron expression or null`);
            else schedules[k] = v;
          }
        }
        return { dir: String(src.dir), schedules };
      });
    }
  }
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return cfg;
}

export async function loadConfig(path: string): Promise<PipelineConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig();
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: 不是有效的 JSON (${(e as Error).message})`);
  }
  return parseConfig(json, path);
}
