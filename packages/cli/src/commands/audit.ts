import { defineCommand, EXIT, LABELS_OPTION, TABLE_FORMAT_OPTION, YEAR_OPTION, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  ...DATABASE_OPTIONS,
  year: YEAR_OPTION,
  policy: { type: { kind: 'string', placeholder: 'FILE' }, zh: '该年的政策文件', en: 'the year\'s policy file', required: true },
  format: TABLE_FORMAT_OPTION,
  labels: LABELS_OPTION,
} as const satisfies Record<string, OptionSpec>;

export const audit = defineCommand({
  name: 'audit',
  zh: '按政策重算全年结算，列出少付、多付、非参合、机构不在目录与药占比超标',
  en: 'recompute every claim of a year and list the discrepancies and findings',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: ['ncms audit --year 2006 --policy policies/2006.json --labels zh > 2006审核.csv'],
  run: (args, positionals) => import('../run/audit.ts').then((m) => m.run(args, positionals)),
});
