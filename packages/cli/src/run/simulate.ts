import type { options } from '../commands/simulate.ts';
import { type ArgValues, type ExitCode, EXIT, padEnd } from '../cli-kit.ts';
import { readVia } from '../open-platform.ts';
import { readPolicyArg } from '../policy-arg.ts';
import type { Simulation } from '@ncms/analytics';
import { simulation } from '@ncms/platform';

const LABELS: [string, string][] = [
  ['year', '测算年度 year'],
  ['enrollees', '参合人数 enrollees'],
  ['claims', '结算笔数 claims'],
  ['settled', '实际补偿 settled (元)'],
  ['simulated', '新政策补偿 under the new policy (元)'],
  ['coefficient', '政策影响系数 impact coefficient'],
  ['growth', '费用增长率 growth'],
  ['per_capita_spending', '预计人均支出 per-capita spending (元)'],
  ['projected_funds', '预计筹资 funds under the new standards (元)'],
  ['projected_spending', '预计支出 spending (元)'],
  ['projected_balance', '预计结余 balance (元)'],
  ['projected_surplus_rate', '预计结余率 surplus rate'],
  ['warnings', '预警 warnings'],
];

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const policy = await readPolicyArg(args.policy);
  const s = await readVia<Simulation>(
    args,
    async (server) => (await server.json<Simulation>(`/api/simulate?year=${args.year}&growth=${args.growth}`, policy.body)).body,
    (platform) => simulation(platform, { year: args.year, policy: policy.file, growth: args.growth }),
  );
  if (args.format === 'json') process.stdout.write(JSON.stringify(s, null, 2) + '\n');
  else
    process.stdout.write(
      LABELS.map(([k, label]) => {
        const v = (s as unknown as Record<string, unknown>)[k];
        return `${padEnd(label, 40)} ${Array.isArray(v) ? v.join(', ') || '—' : v === null ? '—' : String(v)}`;
      }).join('\n') + '\n',
    );
  return EXIT.ok;
}
