import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';

export const options = {} as const satisfies Record<string, OptionSpec>;

export const policySchema = defineCommand({
  name: 'policy-schema',
  zh: '输出政策文件的 JSON Schema，供编辑器校验',
  en: 'the policy file\'s JSON Schema, for editors',
  options,
  exitCodes: [EXIT.ok],
  examples: ['ncms policy-schema > policy.schema.json'],
  run: (args, positionals) => import('../run/policy-schema.ts').then((m) => m.run(args, positionals)),
});
