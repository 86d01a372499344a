import type { options } from '../commands/ingest.ts';
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import type { IngestSummary } from '@ncms/pipelines';
import type { Platform } from '@ncms/platform';
import { type ArgValues, type ExitCode, EXIT, Progress, UsageError } from '../cli-kit.ts';
import { openPlatform } from '../open-platform.ts';
import { formatSummary } from '../format/ingest-summary.ts';

const PHASE = { hashing: '校验中 hashing…', checking: '检查中 checking…', merging: '写入中 merging…' } as const;

/** Loads a source directory with progress on stderr, then refreshes the analytics tables. */
export async function ingestWithProgress(platform: Platform, source: string, retryRejected: boolean): Promise<IngestSummary> {
  const bar = new Progress('ingest');
  let rows = 0;
  const started = Date.now();
  const { summary, refresh } = await platform.ingest(
    source,
    {
      retryRejected,
      trigger: 'cli',
      onFile: ({ index, total, file, result, phase }) => {
        const name = file.slice(source.length + 1);
        // A terminal shows each stage of a big file; a log gets one line per file.
        if (phase && process.stderr.isTTY) bar.update(index, total, `${name} ${PHASE[phase]}`, rows);
        if (!result) return;
        rows += result.rows.total;
        bar.update(index + 1, total, `${name} ${result.status}`, rows);
      },
    },
    (e) => e.phase === 'computing' && process.stderr.write(`分析表 analytics: ${e.year} 年计算中 (${e.index + 1}/${e.total})…\n`),
  );
  bar.done();
  if (refresh.refreshed.length)
    process.stderr.write(`分析表已更新 analytics refreshed: ${refresh.refreshed.join(', ')}（共 ${((Date.now() - started) / 1000).toFixed(1)} 秒）\n`);
  return summary;
}

type Args = ArgValues<typeof options>;

export async function run(args: Args, [dir]: string[]): Promise<ExitCode> {
  const source = resolve(dir!);
  const st = await stat(source).catch(() => null);
  if (!st?.isDirectory()) throw new UsageError([`数据目录不存在或不是目录 (not a directory): ${source}`]);
  const platform = await openPlatform(args, { read: false });
  try {
    const summary = await ingestWithProgress(platform, source, args['retry-rejected'] === true);
    process.stdout.write(formatSummary(summary) + '\n');
    return summary.rejected ? EXIT.rejected : EXIT.ok;
  } finally {
    await platform.close();
  }
}

