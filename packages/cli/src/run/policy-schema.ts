import type { options } from '../commands/policy-schema.ts';
import { type ArgValues, type ExitCode, EXIT } from '../cli-kit.ts';
import { policyJsonSchema } from '@ncms/rules';

type Args = ArgValues<typeof options>;

export async function run(_args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  process.stdout.write(JSON.stringify(policyJsonSchema(), null, 2) + '\n');
  return EXIT.ok;
}

