import { defineCommand, EXIT, YEAR_OPTION, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  ...DATABASE_OPTIONS,
  policy: { type: { kind: 'string', placeholder: 'FILE' }, zh: '新政策文件', en: 'the new policy', required: true },
  year: { ...YEAR_OPTION, zh: '重算哪一年的结算', en: 'the year whose claims are re-run' },
  growth: {
    type: { kind: 'rate', placeholder: 'G' },
    zh: '费用增长率，如 0.2366；不写时取已载入各年医保范围人均费用增长率的几何平均',
    en: 'cost growth rate; by default the geometric mean of the loaded years\' eligible cost per capita growth',
  },
  format: { type: { kind: 'enum', values: ['text', 'json'] }, zh: '输出格式', en: 'output format', default: 'text' },
} as const satisfies Record<string, OptionSpec>;

export const simulate = defineCommand({
  name: 'simulate',
  zh: '用新政策重算某年结算：影响系数、人均支出与基金结余预测',
  en: 'policy what-if: re-run a year\'s claims under a new policy',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: ['ncms simulate --year 2006 --policy policies/2012.json --growth 0.2366'],
  run: (args, positionals) => import('../run/simulate.ts').then((m) => m.run(args, positionals)),
});
