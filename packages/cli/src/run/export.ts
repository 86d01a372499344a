import type { options } from '../commands/export.ts';
import { exportLake, LAKE_TABLES } from '@ncms/lake';
import { type ArgValues, type ExitCode, EXIT, UsageError } from '../cli-kit.ts';
import { openPlatform } from '../open-platform.ts';

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const tables = args.tables?.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = tables?.filter((t) => !LAKE_TABLES.some((x) => x.name === t)) ?? [];
  if (unknown.length) throw new UsageError([`--tables: 没有这些表 (unknown tables): ${unknown.join(', ')}。可导出的表 (tables): ${LAKE_TABLES.map((t) => t.name).join(', ')}`]);
  const platform = await openPlatform(args, { read: true });
  try {
    const r = await platform.read((conn) =>
      exportLake(conn, args.out, {
        mask: args.mask === true,
        tables,
        onProgress: (e) => process.stderr.write(`导出 export: ${e.table} (${e.index + 1}/${e.total}) 写入 ${e.written} 个分区，未变 ${e.kept} 个\n`),
      }),
    );
    const rows = r.manifest.tables.reduce((s, t) => s + t.rows, 0);
    process.stdout.write(
      `已导出到 ${args.out}：${r.manifest.tables.length} 张表，${rows.toLocaleString('en-US')} 行；写入 ${r.written} 个分区，未变 ${r.kept} 个，删除旧文件 ${r.removedFiles} 个（${r.seconds.toFixed(1)} 秒）${r.manifest.masked ? '；已脱敏' : ''}\n` +
        `exported ${r.manifest.tables.length} tables, ${rows} rows: ${r.written} partitions written, ${r.kept} unchanged; manifest: ${args.out}/manifest.json\n`,
    );
  } finally {
    await platform.close();
  }
  return EXIT.ok;
}
