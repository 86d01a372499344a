/**
 * What the commands that touch the warehouse share: the --db / --config / --policies options,
 * opening the platform (read commands never create a database), and bringing the analytics
 * tables up to date first, with progress on stderr.
 */
import { resolve } from 'node:path';
import type { Platform } from '@ncms/platform';
import type { OptionSpec } from './cli-kit.ts';
import { findServer, type ServerLink } from './server/link.ts';

export const DATABASE_OPTIONS = {
  db: { type: { kind: 'string', placeholder: 'FILE' }, zh: '数据库文件', en: 'the DuckDB database file', default: 'data/ncms.duckdb' },
  config: { type: { kind: 'string', placeholder: 'FILE' }, zh: '配置文件', en: 'configuration file', default: 'ncms.config.json' },
  policies: { type: { kind: 'string', placeholder: 'DIR' }, zh: '政策文件夹（各年 <年度>.json），默认取配置或 policies/', en: 'the policy folder, default from the configuration or policies/' },
} as const satisfies Record<string, OptionSpec>;

export interface DatabaseArgs {
  db: string;
  config: string;
  policies?: string;
}

/**
 * Opens the platform on the database. `read`: the file must exist (nothing is created), and the
 * analytics tables are refreshed first if a load or a policy change made them stale.
 */
export async function openPlatform(args: DatabaseArgs, opts: { read: boolean }): Promise<Platform> {
  const { Platform, loadPlatformConfig } = await import('@ncms/platform');
  const config = await loadPlatformConfig(args.config);
  if (args.policies) config.policiesDir = resolve(args.policies);
  const platform = await Platform.open(args.db, config, { mustExist: opts.read });
  try {
    if (opts.read) await refreshWithProgress(platform);
  } catch (e) {
    // A disk that takes no writes: a read still answers, from the last refresh, and says so.
    if (e instanceof (await import('@ncms/warehouse')).StorageError) {
      process.stderr.write(`注意 note: ${e.message}\n分析表未能更新，以下是上次更新的结果 (analytics not refreshed: figures as of the last refresh)\n`);
      return platform;
    }
    await platform.close();
    throw e;
  }
  return platform;
}

/** Refreshes the stale analytics years, saying which on stderr when there is any. */
export async function refreshWithProgress(platform: Platform): Promise<void> {
  const started = Date.now();
  const r = await platform.refresh((e) => {
    if (e.phase === 'computing') process.stderr.write(`分析表 analytics: ${e.year} 年计算中 (${e.index + 1}/${e.total})…\n`);
  });
  if (r.refreshed.length)
    process.stderr.write(`分析表已更新 analytics refreshed: ${r.refreshed.join(', ')}（${((Date.now() - started) / 1000).toFixed(1)} 秒）${r.policiesChanged ? '；政策文件有变化 (policies changed)' : ''}\n`);
}

/**
 * A read through the running server when one owns the database (DuckDB's lock keeps everyone
 * else out), else on the database itself. Both paths call the same platform read, so the output
 * is the same. The server answers with its own configuration and policy folder.
 */
export async function readVia<T>(args: DatabaseArgs, remote: (server: ServerLink) => Promise<T>, local: (platform: Platform) => Promise<T>): Promise<T> {
  const server = await findServer(args.db);
  if (server) return remote(server);
  const platform = await openPlatform(args, { read: true });
  try {
    return await local(platform);
  } finally {
    await platform.close();
  }
}
