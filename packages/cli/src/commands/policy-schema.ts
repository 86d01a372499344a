import { policyJsonSchema } from '@ncms/rules';
import type { Command } from '../cli-kit.ts';

export const policySchema: Command = {
  name: 'policy-schema',
  summary: '输出政策文件的 JSON Schema，供编辑器校验 (the policy file\'s JSON Schema, for editors)',
  usage: 'ncms policy-schema > policy.schema.json',
  options: {},
  async run() {
    process.stdout.write(JSON.stringify(policyJsonSchema(), null, 2) + '\n');
    return 0;
  },
};
