import { writeFile } from 'node:fs/promises';
import type { options } from '../commands/report.ts';
import { buildReport, closeBrowser, periodLabel, renderReport, type ReportFormat } from '@ncms/reports';
import { type ArgValues, type ExitCode, EXIT, UsageError } from '../cli-kit.ts';
import { openPlatform } from '../open-platform.ts';
import { findServer } from '../server/link.ts';

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  if (args.township !== undefined && !/^\d{9}$/.test(args.township)) throw new UsageError([`--township 应为 9 位乡镇区划代码，例如 410523100 (got "${args.township}")`]);
  if (args.date !== undefined && !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(args.date)) throw new UsageError([`--date 应为 YYYY-MM-DD，例如 2007-01-15 (got "${args.date}")`]);
  const started = performance.now();
  const format = args.format as ReportFormat;
  const server = await findServer(args.db);
  if (server) {
    // The server owns the database: it makes the same report (the page's download).
    process.stderr.write(`由运行中的服务生成 (made by the server at ${server.url}, PID ${server.pid})\n`);
    const q = new URLSearchParams({ year: String(args.year), format, ...(args.period ? { period: args.period } : {}), ...(args.township ? { township: args.township } : {}), ...(args.date ? { date: args.date } : {}) });
    await writeFile(args.out, await server.bytes(`/api/report?${q}`));
    process.stderr.write(`已生成 ${args.out}（${periodLabel(args.period ?? String(args.year))}，${((performance.now() - started) / 1000).toFixed(1)} 秒）\n`);
    return EXIT.ok;
  }
  const platform = await openPlatform(args, { read: true });
  let report;
  try {
    report = await platform.read((conn) => buildReport(conn, { year: args.year, period: args.period, township: args.township }, new Date(), { timezone: platform.config.pipeline.timezone, date: args.date }));
  } catch (e) {
    if ((e as Error).name === 'QueryError') throw new UsageError([(e as Error).message]);
    throw e;
  } finally {
    await platform.close();
  }
  try {
    await writeFile(args.out, await renderReport(report, format));
  } finally {
    await closeBrowser();
  }
  process.stderr.write(`${report.empty ? `注意：${report.empty}\n` : ''}已生成 ${args.out}（${((performance.now() - started) / 1000).toFixed(1)} 秒）${report.dataVersion ? `，数据版本 ${report.dataVersion.version}，截至 ${report.dataVersion.asOf}` : ''}\n`);
  return EXIT.ok;
}
