import type { options } from '../commands/ingest.ts';
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { ingestWithEvents, type IngestEvent, type IngestResult, type Platform } from '@ncms/platform';
import { type ArgValues, type ExitCode, EXIT, Progress, UsageError } from '../cli-kit.ts';
import { openPlatform } from '../open-platform.ts';
import { formatSummary } from '../format/ingest-summary.ts';
import { findServer, ServerError, type ServerLink } from '../server/link.ts';

const PHASE = { hashing: '校验中 hashing…', checking: '检查中 checking…', merging: '写入中 merging…' } as const;

/** Draws a load's events on stderr: a bar per file on a terminal, a line per file in a log. */
export function progressPrinter(): { emit: (e: IngestEvent) => void; finish: (r: IngestResult) => void } {
  const bar = new Progress('ingest');
  let rows = 0;
  return {
    emit(e) {
      if (e.kind === 'analytics') {
        process.stderr.write(`分析表 analytics: ${e.year} 年计算中 (${e.index + 1}/${e.total})…\n`);
        return;
      }
      if (e.phase && process.stderr.isTTY) bar.update(e.index, e.total, `${e.name} ${PHASE[e.phase]}`, rows);
      if (!e.status) return;
      rows += e.rows ?? 0;
      bar.update(e.index + 1, e.total, `${e.name} ${e.status}`, rows);
    },
    finish(r) {
      bar.done();
      if (r.refresh.refreshed.length) process.stderr.write(`分析表已更新 analytics refreshed: ${r.refresh.refreshed.join(', ')}（共 ${r.seconds.toFixed(1)} 秒）\n`);
    },
  };
}

/** Loads a source directory with progress on stderr, then refreshes the analytics tables. */
export async function ingestWithProgress(platform: Platform, source: string, retryRejected: boolean): Promise<IngestResult> {
  const p = progressPrinter();
  const r = await ingestWithEvents(platform, source, { retryRejected, trigger: 'cli' }, p.emit);
  p.finish(r);
  return r;
}

type ServerLine = IngestEvent | { kind: 'done'; result: IngestResult } | { kind: 'error'; error: string };

/** Asks the running server to load the directory and follows its progress. */
export async function ingestThroughServer(server: ServerLink, source: string, retryRejected: boolean): Promise<IngestResult> {
  const p = progressPrinter();
  process.stderr.write(`由运行中的服务载入 (loading through the server at ${server.url}, PID ${server.pid})\n`);
  for await (const line of server.lines<ServerLine>('/api/ingest', { dir: source, retry_rejected: retryRejected })) {
    if (line.kind === 'done') {
      p.finish(line.result);
      return line.result;
    }
    if (line.kind === 'error') throw new ServerError(500, 'ingest_failed', `服务器载入失败 (the server's load failed): ${line.error}`);
    p.emit(line);
  }
  throw new ServerError(500, 'ingest_failed', '服务器在载入完成前断开了连接 (the server closed the connection before the load finished)');
}

type Args = ArgValues<typeof options>;

export async function run(args: Args, [dir]: string[]): Promise<ExitCode> {
  const source = resolve(dir!);
  const st = await stat(source).catch(() => null);
  if (!st?.isDirectory()) throw new UsageError([`数据目录不存在或不是目录 (not a directory): ${source}`]);
  const retry = args['retry-rejected'] === true;
  const server = await findServer(args.db);
  let result: IngestResult;
  if (server) result = await ingestThroughServer(server, source, retry);
  else {
    const platform = await openPlatform(args, { read: false });
    try {
      result = await ingestWithProgress(platform, source, retry);
    } finally {
      await platform.close();
    }
  }
  process.stdout.write(formatSummary(result.summary) + '\n');
  return result.summary.rejected ? EXIT.rejected : EXIT.ok;
}
