import type { options } from '../commands/refresh.ts';
import { refreshWithEvents, type IngestEvent, type RefreshReport } from '@ncms/platform';
import { type ArgValues, type ExitCode, EXIT } from '../cli-kit.ts';
import { openPlatform } from '../open-platform.ts';
import { findServer, ServerError } from '../server/link.ts';

type Args = ArgValues<typeof options>;
type ServerLine = IngestEvent | { kind: 'done'; result: RefreshReport } | { kind: 'error'; error: string };

const progress = (e: IngestEvent) => e.kind === 'analytics' && process.stderr.write(`分析表 analytics: ${e.year} 年计算中 (${e.index + 1}/${e.total})…\n`);

async function throughServer(args: Args): Promise<RefreshReport | undefined> {
  const server = await findServer(args.db);
  if (!server) return undefined;
  for await (const line of server.lines<ServerLine>('/api/refresh', { full: args.full === true, verify: args.verify === true })) {
    if (line.kind === 'done') return line.result;
    if (line.kind === 'error') throw new ServerError(500, 'refresh_failed', `服务器更新分析表失败 (the server's refresh failed): ${line.error}`);
    progress(line);
  }
  throw new ServerError(500, 'refresh_failed', '服务器在更新完成前断开了连接 (the server closed the connection before the refresh finished)');
}

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  let report = await throughServer(args);
  if (!report) {
    const platform = await openPlatform(args, { read: false });
    try {
      report = await refreshWithEvents(platform, { full: args.full, verify: args.verify }, progress);
    } finally {
      await platform.close();
    }
  }
  if (report.refreshed.length)
    process.stderr.write(`分析表已更新 analytics refreshed: ${report.refreshed.join(', ')}（${report.seconds.toFixed(1)} 秒）${report.policiesChanged ? '；政策文件有变化 (policies changed)' : ''}\n`);
  for (const v of report.versions)
    process.stdout.write(`${v.year} 年：数据版本 ${v.version}，截至 ${v.asOf}，反映 ${v.batches.length} 个已载入文件 (data version, as of, files reflected)\n`);
  if (!report.versions.length) process.stdout.write('尚无数据。请先运行 ncms ingest <数据目录> (no data yet)\n');
  return EXIT.ok;
}
