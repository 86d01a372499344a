import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  ...DATABASE_OPTIONS,
  year: { type: { kind: 'int', placeholder: 'Y', min: 1990, max: 2100 }, zh: '年度', en: 'the scheme year', required: true },
  policy: { type: { kind: 'string', placeholder: 'FILE' }, zh: '该年的政策文件', en: 'the year\'s policy file', required: true },
  format: { type: { kind: 'enum', values: ['csv', 'json'] }, zh: '输出格式', en: 'output format', default: 'csv' },
} as const satisfies Record<string, OptionSpec>;

export const audit = defineCommand({
  name: 'audit',
  zh: '按政策重算全年结算，列出少付、多付、非参合、机构不在目录与药占比超标',
  en: 'recompute every claim of a year and list the discrepancies and findings',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: ['ncms audit --year 2006 --policy policies/2005.json > 2006审核.csv'],
  run: (args, positionals) => import('../run/audit.ts').then((m) => m.run(args, positionals)),
});
