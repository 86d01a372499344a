import { defineCommand, EXIT, TABLE_FORMAT_OPTION, type OptionSpec } from '../cli-kit.ts';

export const options = {
  policy: { type: { kind: 'string', placeholder: 'FILE' }, zh: '政策文件', en: 'the policy file', required: true },
  claims: { type: { kind: 'string', placeholder: 'FILE' }, zh: '结算单文件（HIS 格式；level、in_county、designated 列可选）', en: 'a claims file in the his format', required: true },
  facilities: { type: { kind: 'string', placeholder: 'FILE' }, zh: '机构目录文件：机构级别、县内、定点从这里取', en: 'a facility registry for level, in_county and designated' },
  format: TABLE_FORMAT_OPTION,
} as const satisfies Record<string, OptionSpec>;

export const compensate = defineCommand({
  name: 'compensate',
  zh: '按政策计算结算单的应补偿金额，无需数据库',
  en: 'expected payouts of a claims file, no database needed',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.rejected],
  examples: ['ncms compensate --policy policies/2005.json --claims 住院结算.csv --facilities 机构目录.xlsx'],
  run: (args, positionals) => import('../run/compensate.ts').then((m) => m.run(args, positionals)),
});
