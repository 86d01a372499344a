import type { options } from '../commands/serve.ts';
import { type ArgValues, type ExitCode, EXIT } from '../cli-kit.ts';
import { hostDashboard } from '../server/host.ts';

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const server = await hostDashboard({ db: args.db, config: args.config, policies: args.policies, port: args.port, host: args.host, schedules: !args['no-schedules'], origin: args.origin });
  process.stdout.write(`仪表盘已启动 dashboard: ${server.url}\n（Ctrl+C 停止 to stop）\n`);
  await server.stopped;
  process.stderr.write('服务已停止，数据库已关闭 (stopped, database closed)\n');
  return EXIT.ok;
}
