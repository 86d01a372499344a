import { defineCommand, EXIT, TABLE_FORMAT_OPTION, LABELS_OPTION, YEAR_OPTION, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  ...DATABASE_OPTIONS,
  year: YEAR_OPTION,
  by: { type: { kind: 'enum', values: ['county', 'township', 'village', 'facility'] }, zh: '单位层级（facility：按医疗机构，医疗机构监管）', en: 'the level of the units (facility: per facility, for supervision)', default: 'township' },
  township: { type: { kind: 'string', placeholder: 'CODE' }, zh: '只列此区划代码内的单位', en: 'only units inside this division code' },
  period: { type: { kind: 'string', placeholder: 'YYYY|YYYYQn|YYYY-MM' }, zh: '期间：全年、季度或月份（季度、月份只有补偿类指标）', en: 'year, quarter or month (quarters and months: payout indicators only)' },
  ids: { type: { kind: 'string', placeholder: 'ID,ID…' }, zh: '只输出这些指标（逗号分隔）', en: 'only these indicator ids (comma-separated)' },
  series: {
    type: { kind: 'enum', values: ['monthly', 'campaign', 'lorenz', 'insurer'] },
    zh: '输出序列：按出院月份、参合进度（周一、周四）、洛伦兹曲线或商保经办按月预结（全县）',
    en: 'a series instead: per discharge month, campaign progress, the Lorenz curve, or the insurer\'s monthly pre-settlement (county)',
  },
  policy: { type: { kind: 'string', placeholder: 'FILE' }, zh: '用此政策文件计算该年（与县里的政策不同时现算）', en: 'the year\'s policy file (computed on the spot when it differs from the county\'s)' },
  'opening-balance': { type: { kind: 'amount', placeholder: '元' }, zh: '首个年度之前的基金结余，计入累计结余', en: 'the fund\'s balance before the first year' },
  fresh: { type: { kind: 'flag' }, zh: '不读分析表，从基础表重新计算', en: 'recompute from the core tables instead of reading the analytics tables' },
  format: TABLE_FORMAT_OPTION,
  labels: LABELS_OPTION,
} as const satisfies Record<string, OptionSpec>;

export const indicators = defineCommand({
  name: 'indicators',
  zh: '计算指标：参合、筹资、补偿、基金、审核、公平',
  en: 'the indicators of a year for every unit of a level',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: [
    'ncms indicators --year 2006 --by township',
    'ncms indicators --year 2006 --by county --format json',
    'ncms indicators --year 2006 --by township --labels zh > 2006乡镇指标.csv',
    'ncms indicators --year 2006 --period 2006Q1 --ids inpatient_stays,payouts_total',
    'ncms indicators --year 2006 --series monthly --by county',
    'ncms indicators --year 2006 --by facility --labels zh > 2006医疗机构监管.csv',
    'ncms indicators --year 2006 --series insurer --policy policies/2012.json',
  ],
  run: (args, positionals) => import('../run/indicators.ts').then((m) => m.run(args, positionals)),
});
