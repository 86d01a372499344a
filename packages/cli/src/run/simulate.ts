import type { options } from '../commands/simulate.ts';
import { type ArgValues, type ExitCode, EXIT, displayWidth, padEnd } from '../cli-kit.ts';
import { readVia } from '../open-platform.ts';
import { readPolicyArg } from '../policy-arg.ts';
import type { Simulation } from '@ncms/analytics';
import { simulation } from '@ncms/platform';

const LABELS: [string, string][] = [
  ['year', '测算年度 year'],
  ['enrollees', '参合人数 enrollees'],
  ['claims', '结算笔数 claims'],
  ['settled', '统筹基金实际支出 pooled payouts as settled (元)'],
  ['simulated', '按新政策统筹支出 under the new policy (元)'],
  ['coefficient', '政策影响系数 impact coefficient'],
  ['base_per_capita', '人均统筹支出 per-capita pooled spending (元)'],
  ['adjusted_per_capita', '按新政策套算 adjusted to the new policy (元)'],
  ['growth', '费用增长率 growth'],
  ['growth_source', '增长率来源 growth from'],
  ['per_capita_spending', '下年人均支出 next year per capita (元)'],
  ['suggested_insurer_target', '建议人均标的 suggested insurer target (元)'],
  ['projected_funds', '预计统筹基金筹资 pooled funds (元)'],
  ['projected_spending', '预计统筹支出 pooled spending (元)'],
  ['projected_balance', '预计结余 balance (元)'],
  ['projected_surplus_rate', '预计结余率 surplus rate'],
  ['warnings', '预警 warnings'],
];

/** The labels' column, as wide as the widest (Chinese characters take two columns). */
const LABEL_WIDTH = Math.max(...LABELS.map(([, l]) => displayWidth(l))) + 1;

/** Where the growth rate came from, in words. */
function growthSource(s: Simulation['growth_source']): string {
  if (s.given) return '给定 given';
  if (!s.years.length) return '已载入年度不足两年，取 0 (fewer than two loaded years: 0)';
  return `${s.years.map((y) => `${y - 1}→${y}`).join('、')} 年医保范围人均费用增长率的几何平均 (geometric mean of the loaded years)`;
}

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const policy = await readPolicyArg(args.policy);
  const s = await readVia<Simulation>(
    args,
    async (server) => (await server.json<Simulation>(`/api/simulate?year=${args.year}${args.growth === undefined ? '' : `&growth=${args.growth}`}`, policy.body)).body,
    (platform) => simulation(platform, { year: args.year, policy: policy.file, growth: args.growth }),
  );
  if (args.format === 'json') process.stdout.write(JSON.stringify(s, null, 2) + '\n');
  else
    process.stdout.write(
      LABELS.map(([k, label]) => {
        const v = k === 'growth_source' ? growthSource(s.growth_source) : (s as unknown as Record<string, unknown>)[k];
        return `${padEnd(label, LABEL_WIDTH)} ${Array.isArray(v) ? v.join(', ') || '—' : v === null ? '—' : String(v)}`;
      }).join('\n') + '\n',
    );
  return EXIT.ok;
}
