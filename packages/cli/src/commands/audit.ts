import { AUDIT_RULES } from '@ncms/rules';
import { defineCommand, EXIT, LABELS_OPTION, TABLE_FORMAT_OPTION, YEAR_OPTION, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  ...DATABASE_OPTIONS,
  year: YEAR_OPTION,
  policy: { type: { kind: 'string', placeholder: 'FILE' }, zh: '该年的政策文件（重算结算时必填）', en: 'the year\'s policy file (required unless --rules)' },
  rules: { type: { kind: 'flag' }, zh: '列出审核规则的发现及复核状态（不重算）', en: 'list the audit rules\' findings with their review state' },
  code: {
    type: { kind: 'string', placeholder: 'C' },
    zh: '只列此规则（与 --rules 同用）',
    en: 'only this rule (with --rules)',
    check: (raw) => (AUDIT_RULES.some((r) => r.code === raw && r.scope === 'claim') ? undefined : `应为 ${AUDIT_RULES.filter((r) => r.scope === 'claim').map((r) => r.code).join('、')} 之一`),
  },
  format: TABLE_FORMAT_OPTION,
  labels: LABELS_OPTION,
} as const satisfies Record<string, OptionSpec>;

export const audit = defineCommand({
  name: 'audit',
  zh: '按政策重算全年结算，列出少付、多付、非参合、机构不在目录与药占比超标',
  en: 'recompute every claim of a year and list the discrepancies and findings',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: ['ncms audit --year 2006 --policy policies/2006.json --labels zh > 2006审核.csv', 'ncms audit --rules --year 2006 --code over_cap --format json'],
  run: (args, positionals) => import('../run/audit.ts').then((m) => m.run(args, positionals)),
});
