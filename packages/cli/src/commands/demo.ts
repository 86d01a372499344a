import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

export const options = {
  ...DATABASE_OPTIONS,
  port: { type: { kind: 'int', placeholder: 'P', min: 1, max: 65535 }, zh: '仪表盘端口（仪表盘由后续版本提供）', en: 'the dashboard\'s port (the dashboard comes with a later version)', default: 3000 },
} as const satisfies Record<string, OptionSpec>;

export const SAMPLE_DIR = 'data/sample';

export const demo = defineCommand({
  name: 'demo',
  zh: '生成示例县（如尚无）、写入示例政策并载入默认数据库',
  en: 'generate the sample county if absent, write the example policies, load it',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  run: (args, positionals) => import('../run/demo.ts').then((m) => m.run(args, positionals)),
});
