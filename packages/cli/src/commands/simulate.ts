import { simulate as runSimulation } from '@ncms/analytics';
import { DEFAULT_DB_PATH, openWarehouse } from '@ncms/warehouse';
import { UsageError, intOption, option, type Command } from '../cli-kit.ts';
import { yearPolicies } from '../policy-file.ts';

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

export const simulate: Command = {
  name: 'simulate',
  summary: '用新政策重算某年结算：影响系数、人均支出与基金结余预测 (policy what-if)',
  usage: 'ncms simulate --policy FILE --year Y [--growth G] [--db FILE] [--policies DIR] [--format text|json]',
  options: { policy: { type: 'string' }, year: { type: 'string' }, growth: { type: 'string' }, db: { type: 'string' }, policies: { type: 'string' }, format: { type: 'string' } },
  async run({ values }) {
    const problems: string[] = [];
    if (!values.policy) problems.push('--policy FILE 是必需的 (the new policy)');
    if (!values.year) problems.push('--year Y 是必需的 (the year whose claims are re-run)');
    const growth = String(values.growth ?? '0');
    if (!/^-?\d+(\.\d{1,4})?$/.test(growth)) problems.push(`--growth 应为增长率，如 0.2366（最多 4 位小数）(got "${growth}")`);
    const json = values.format === 'json';
    if (values.format !== undefined && values.format !== 'json' && values.format !== 'text')
      problems.push(`--format 应为 text 或 json (got "${String(values.format)}")`);
    const year = option(problems, () => intOption('year', values.year, 0, 1990), 0);
    if (problems.length) throw new UsageError(problems);
    const { policy, lookup } = await yearPolicies(String(values.policy), year, String(values.policies ?? 'policies'));
    const wh = await openWarehouse(String(values.db ?? DEFAULT_DB_PATH));
    try {
      const s = await runSimulation(wh.conn, year, policy, growth, lookup);
      if (json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
      else
        process.stdout.write(
          LABELS.map(([k, label]) => {
            const v = (s as unknown as Record<string, unknown>)[k];
            return `${label.padEnd(40)} ${Array.isArray(v) ? v.join(', ') || '—' : v === null ? '—' : String(v)}`;
          }).join('\n') + '\n',
        );
      return 0;
    } finally {
      wh.close();
    }
  },
};
