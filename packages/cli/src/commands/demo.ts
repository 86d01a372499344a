import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';
import { LISTEN_OPTIONS } from './serve.ts';

export const options = {
  ...DATABASE_OPTIONS,
  ...LISTEN_OPTIONS,
  'no-serve': { type: { kind: 'flag' }, zh: '只生成并载入，不启动仪表盘', en: 'generate and load only; do not start the dashboard' },
} as const satisfies Record<string, OptionSpec>;

export const demo = defineCommand({
  name: 'demo',
  zh: '生成示例县（如尚无）、写入示例政策、载入默认数据库并启动仪表盘',
  en: 'generate the sample county if absent, write the example policies, load it and start the dashboard',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: ['ncms demo', 'ncms demo --port 8080', 'ncms demo --no-serve'],
  run: (args, positionals) => import('../run/demo.ts').then((m) => m.run(args, positionals)),
});
