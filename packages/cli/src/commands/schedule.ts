import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = { ...DATABASE_OPTIONS } as const satisfies Record<string, OptionSpec>;

export const schedule = defineCommand({
  name: 'schedule',
  zh: '按计划定时载入数据并更新分析表（长期运行，Ctrl+C 停止）',
  en: 'run the ingest schedules of the configuration (long-running)',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  run: (args, positionals) => import('../run/schedule.ts').then((m) => m.run(args, positionals)),
});
