import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { DEFAULT_DB_PATH, openWarehouse } from '@ncms/warehouse';
import { ingest as runIngest, formatSummary, type IngestSummary } from '@ncms/pipelines';
import { Progress, UsageError, EXIT, type Command } from '../cli-kit.ts';

const PHASE = { hashing: '校验中 hashing…', checking: '检查中 checking…', merging: '写入中 merging…' } as const;

export async function ingestWithProgress(db: string, source: string, retryRejected: boolean): Promise<IngestSummary> {
  const wh = await openWarehouse(db);
  try {
    const bar = new Progress('ingest');
    let rows = 0;
    const summary = await runIngest(wh.conn, source, {
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
    });
    bar.done();
    return summary;
  } finally {
    wh.close();
  }
}

export const ingest: Command = {
  name: 'ingest',
  summary: '载入数据目录中的新文件 (load every new file of a source directory)',
  usage: 'ncms ingest [--db FILE] SOURCE_DIR [--retry-rejected]',
  options: { db: { type: 'string' }, 'retry-rejected': { type: 'boolean' } },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError(['需要一个数据目录 SOURCE_DIR (one source directory)', `用法 usage: ${this.usage}`]);
    const source = resolve(positionals[0]!);
    const st = await stat(source).catch(() => null);
    if (!st?.isDirectory()) throw new UsageError([`数据目录不存在或不是目录: ${source}`]);
    const summary = await ingestWithProgress(String(values.db ?? DEFAULT_DB_PATH), source, values['retry-rejected'] === true);
    process.stdout.write(formatSummary(summary) + '\n');
    return summary.rejected ? EXIT.rejected : EXIT.ok;
  },
};
