import { resolve } from 'node:path';
import type { backupOptions, restoreOptions } from '../commands/backup.ts';
import { type ArgValues, type ExitCode, EXIT, UsageError } from '../cli-kit.ts';
import { findServer } from '../server/link.ts';

interface Made {
  dir: string;
  tables: number;
  rows: number;
  removed: string[];
}

export async function runBackup(args: ArgValues<typeof backupOptions>, _p: readonly string[]): Promise<ExitCode> {
  if (args.keep !== undefined && args.keep < 1) throw new UsageError(['--keep 至少为 1 (at least 1)']);
  const out = resolve(args.out);
  const started = performance.now();
  const server = await findServer(args.db);
  let made: Made;
  if (server) {
    process.stderr.write(`由运行中的服务备份 (backing up through the server at ${server.url}, PID ${server.pid})\n`);
    made = (await server.json<Made>('/api/backup', { out, keep: args.keep })).body;
  } else {
    const { Platform, loadPlatformConfig, pruneBackups } = await import('@ncms/platform');
    const platform = await Platform.open(args.db, await loadPlatformConfig(args.config), { mustExist: true });
    try {
      const b = await platform.backup(out);
      const counts = Object.values(b.manifest.tables);
      made = { dir: b.dir, tables: counts.length, rows: counts.reduce((s, n) => s + n, 0), removed: args.keep ? await pruneBackups(out, args.keep) : [] };
    } finally {
      await platform.close();
    }
  }
  process.stdout.write(
    `已备份到 ${made.dir}：${made.tables} 张表，${made.rows.toLocaleString('en-US')} 行（${((performance.now() - started) / 1000).toFixed(1)} 秒）${made.removed.length ? `；删除旧备份 ${made.removed.length} 份` : ''}\n` +
      `backed up to ${made.dir}: ${made.tables} tables, ${made.rows} rows\n`,
  );
  return EXIT.ok;
}

export async function runRestore(args: ArgValues<typeof restoreOptions>, _p: readonly string[]): Promise<ExitCode> {
  const { restoreDatabase, BackupError } = await import('@ncms/platform');
  try {
    const m = await restoreDatabase(args.from, args.db);
    const rows = Object.values(m.tables).reduce((s, n) => s + n, 0);
    process.stdout.write(`已恢复到 ${resolve(args.db)}：${Object.keys(m.tables).length} 张表，${rows.toLocaleString('en-US')} 行，与备份（${m.created}）一致\nrestored to ${resolve(args.db)}: every table's rows match the backup\n`);
  } catch (e) {
    if (e instanceof BackupError) throw new UsageError([e.message]);
    throw e;
  }
  return EXIT.ok;
}
