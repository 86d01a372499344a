import type { options } from '../commands/demo.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ArgValues, type ExitCode, EXIT } from '../cli-kit.ts';
import { openPlatform } from '../open-platform.ts';
import { formatSummary } from '../format/ingest-summary.ts';
import { findServer } from '../server/link.ts';
import { hostDashboard } from '../server/host.ts';
import { ingestThroughServer, ingestWithProgress } from './ingest.ts';
import { generateCounty, writeExamplePolicies } from '@ncms/sample-county';
import type { IngestResult } from '@ncms/platform';

export const SAMPLE_DIR = 'data/sample';

type Args = ArgValues<typeof options>;

/** Said before anything is loaded, so the bad rows and the rejected file that follow read as intended. */
export const PLANTED =
  '注意：示例县的数据里故意放了错误——几行坏数据和一个缺少报销列的结算文件，用来演示错误行的隔离和整个文件的拒收。\n' +
  '下面的"错误行"和"已拒收"是预期的结果，每一处的说明见 packages/sample-county/README.md（故意放入的错误）。\n' +
  '(The sample county has bad rows and one bad file on purpose, to show quarantine and rejection: see packages/sample-county/README.md.)\n\n';

const TRY =
  '命令行也可以用 (the command line works beside the server):\n' +
  '  npx ncms indicators --year 2005 --by township\n' +
  '  npx ncms indicators --year 2006 --by township --labels zh\n' +
  '  npx ncms audit --year 2006 --policy policies/2006.json\n' +
  '  npx ncms simulate --year 2006 --policy policies/2012.json --growth 0.2366\n';

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const sample = resolve(SAMPLE_DIR);
  process.stdout.write(PLANTED);
  if (!existsSync(sample)) {
    process.stderr.write(`demo: generating the sample county in ${sample}\n`);
    await generateCounty({ out: sample, onProgress: (m) => process.stderr.write(`generate: ${m}\n`) });
  }
  const running = await findServer(args.db);
  let result: IngestResult;
  if (running) result = await ingestThroughServer(running, sample, false);
  else {
    const platform = await openPlatform(args, { read: false });
    try {
      for (const p of await writeExamplePolicies(platform.config.policiesDir)) process.stderr.write(`demo: example policy ${p}\n`);
      result = await ingestWithProgress(platform, sample, false);
    } finally {
      await platform.close();
    }
  }
  process.stdout.write(formatSummary(result.summary, { byReason: true }) + '\n\n');
  if (running) {
    process.stdout.write(`示例县已载入运行中的服务：${running.url}\n${TRY}`);
    return EXIT.ok;
  }
  if (args['no-serve']) {
    process.stdout.write(`示例县已载入 ${resolve(args.db)}。启动仪表盘：npx ncms serve --db ${args.db}\n${TRY}`);
    return EXIT.ok;
  }
  const server = await hostDashboard({ db: args.db, config: args.config, policies: args.policies, port: args.port, host: args.host, schedules: true, demo: true });
  process.stdout.write(`示例县已载入。仪表盘 dashboard: ${server.url}\n（Ctrl+C 停止 to stop）\n演示模式：从本机打开时自动以演示管理员登录；其他电脑须用账号登录 (demo: loopback visitors are signed in as a demo administrator)\n${TRY}`);
  await server.stopped;
  process.stderr.write('服务已停止，数据库已关闭 (stopped, database closed)\n');
  return EXIT.ok;
}
