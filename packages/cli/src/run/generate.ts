import { yearRange, type options } from '../commands/generate.ts';
import { resolve } from 'node:path';
import { type ArgValues, type ExitCode, EXIT } from '../cli-kit.ts';
import { generateCounty } from '@ncms/sample-county';

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const years = yearRange(args.years)!;
  const out = resolve(args.out);
  const started = Date.now();
  const r = await generateCounty({ out, seed: args.seed, scale: args.scale, years, onProgress: (m) => process.stderr.write(`generate: ${m}\n`) });
  process.stdout.write(
    `示例县已生成 generated ${r.files.length} files in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)\n` +
      `  ${r.townships} townships, ${r.villages} villages, agricultural population ${r.agriculturalPopulation}\n` +
      Object.keys(r.enrollees).map((y) => `  ${y}: ${r.enrollees[Number(y)]} enrollees, ${r.claims[Number(y)]} claims\n`).join(''),
  );
  return EXIT.ok;
}

