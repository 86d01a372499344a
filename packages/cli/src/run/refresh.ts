import type { options } from '../commands/refresh.ts';
import { type ArgValues, type ExitCode, EXIT } from '../cli-kit.ts';
import { openPlatform, refreshWithProgress } from '../open-platform.ts';
import { analyticsYears, dataVersion } from '@ncms/analytics';

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const platform = await openPlatform(args, { read: false });
  try {
    await refreshWithProgress(platform, { full: args.full });
    const versions = await platform.read(async (conn) => Promise.all((await analyticsYears(conn)).map((y) => dataVersion(conn, y))));
    for (const v of versions)
      if (v) process.stdout.write(`${v.year} 年：数据版本 ${v.version}，截至 ${v.asOf}，反映 ${v.batches.length} 个已载入文件 (data version, as of, files reflected)\n`);
    if (!versions.length) process.stdout.write('尚无数据。请先运行 ncms ingest <数据目录> (no data yet)\n');
    return EXIT.ok;
  } finally {
    await platform.close();
  }
}

