import { defineCommand, EXIT, YEAR_OPTION, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  ...DATABASE_OPTIONS,
  year: YEAR_OPTION,
  period: { type: { kind: 'string', placeholder: 'YYYY|YYYYQn|YYYY-MM' }, zh: '报告期：全年（默认）、季度或月份', en: 'the period: the year (default), a quarter or a month' },
  township: { type: { kind: 'string', placeholder: 'CODE' }, zh: '只报告这个乡镇（9 位区划代码），各村排名', en: 'one township only (9-digit division code), its villages ranked' },
  date: { type: { kind: 'string', placeholder: 'YYYY-MM-DD' }, zh: '报告日期（默认：县所在时区的今天）', en: "the report's date (default: today in the county's time zone)" },
  format: { type: { kind: 'enum', values: ['pdf', 'docx', 'xlsx'] }, zh: '文件格式', en: 'file format', required: true },
  out: { type: { kind: 'string', placeholder: 'FILE' }, zh: '输出文件', en: 'the output file', required: true },
} as const satisfies Record<string, OptionSpec>;

export const report = defineCommand({
  name: 'report',
  zh: '生成督查/汇报材料（PDF、Word、Excel）',
  en: 'the inspection report for higher levels (PDF, Word, Excel)',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: [
    'ncms report --year 2006 --format pdf --out 2006年度报告.pdf',
    'ncms report --year 2006 --period 2006Q1 --format docx --out 2006年一季度.docx',
    'ncms report --year 2006 --township 410523100 --format xlsx --out 城关镇2006.xlsx',
  ],
  run: (args, positionals) => import('../run/report.ts').then((m) => m.run(args, positionals)),
});
