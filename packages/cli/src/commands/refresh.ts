import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  ...DATABASE_OPTIONS,
  full: { type: { kind: 'flag' }, zh: '全部重建，而不只是有变化的年度', en: 'rebuild every year, not only the stale ones' },
  verify: {
    type: { kind: 'flag' },
    zh: '逐行核对核心表（平时只看各次载入的记录）',
    en: 'fingerprint every core row to find stale years, not only the record of loads',
  },
} as const satisfies Record<string, OptionSpec>;

export const refresh = defineCommand({
  name: 'refresh',
  zh: '更新分析表（载入后和政策文件变化后会自动进行）并列出各年数据版本',
  en: 'bring the analytics tables up to date (done after every load and policy change anyway) and list each year\'s data version',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  run: (args, positionals) => import('../run/refresh.ts').then((m) => m.run(args, positionals)),
});
