import { resolve } from 'node:path';
import type { options } from '../commands/export.ts';
import { exportLake, LAKE_TABLES } from '@ncms/lake';
import { type ArgValues, type ExitCode, EXIT, UsageError } from '../cli-kit.ts';
import { openPlatform } from '../open-platform.ts';
import { findServer, ServerError, type ServerLink } from '../server/link.ts';

type Args = ArgValues<typeof options>;

interface Progress {
  table: string;
  index: number;
  total: number;
  written: number;
  kept: number;
}
interface Outcome {
  tables: number;
  rows: number;
  written: number;
  kept: number;
  removedFiles: number;
  seconds: number;
  masked: boolean;
}
type ServerLine = ({ kind: 'progress' } & Progress) | { kind: 'done'; result: Outcome } | { kind: 'error'; error: string };

const progress = (e: Progress) => process.stderr.write(`导出 export: ${e.table} (${e.index + 1}/${e.total}) 写入 ${e.written} 个分区，未变 ${e.kept} 个\n`);

/** The export made by the server that owns the database (DuckDB lets no one else open it). */
async function exportThroughServer(server: ServerLink, body: { out: string; mask: boolean; tables?: string[] }): Promise<Outcome> {
  process.stderr.write(`由运行中的服务导出 (exporting through the server at ${server.url}, PID ${server.pid})\n`);
  for await (const line of server.lines<ServerLine>('/api/lake', body)) {
    if (line.kind === 'done') return line.result;
    if (line.kind === 'error') throw new ServerError(500, 'export_failed', `服务器导出失败 (the server's export failed): ${line.error}`);
    progress(line);
  }
  throw new ServerError(500, 'export_failed', '服务器在导出完成前断开了连接 (the server closed the connection before the export finished)');
}

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const tables = args.tables?.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = tables?.filter((t) => !LAKE_TABLES.some((x) => x.name === t)) ?? [];
  if (unknown.length) throw new UsageError([`--tables: 没有这些表 (unknown tables): ${unknown.join(', ')}。可导出的表 (tables): ${LAKE_TABLES.map((t) => t.name).join(', ')}`]);
  const out = resolve(args.out);
  const mask = args.mask === true;
  const server = await findServer(args.db);
  let r: Outcome;
  if (server) r = await exportThroughServer(server, { out, mask, ...(tables ? { tables } : {}) });
  else {
    const platform = await openPlatform(args, { read: true });
    try {
      const done = await platform.read((conn) => exportLake(conn, out, { mask, tables, onProgress: progress }));
      r = { tables: done.manifest.tables.length, rows: done.manifest.tables.reduce((s, t) => s + t.rows, 0), written: done.written, kept: done.kept, removedFiles: done.removedFiles, seconds: done.seconds, masked: done.manifest.masked };
    } finally {
      await platform.close();
    }
  }
  process.stdout.write(
    `已导出到 ${out}：${r.tables} 张表，${r.rows.toLocaleString('en-US')} 行；写入 ${r.written} 个分区，未变 ${r.kept} 个，删除旧文件 ${r.removedFiles} 个（${r.seconds.toFixed(1)} 秒）${r.masked ? '；已脱敏' : ''}\n` +
      `exported ${r.tables} tables, ${r.rows} rows: ${r.written} partitions written, ${r.kept} unchanged; manifest: ${out}/manifest.json\n`,
  );
  return EXIT.ok;
}
