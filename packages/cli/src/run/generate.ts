import type { options } from '../commands/generate.ts';
import { resolve } from 'node:path';
import { type ArgValues, type ExitCode, EXIT, UsageError } from '../cli-kit.ts';
import { generateCounty } from '@ncms/sample-county';

export function parseYears(v: string): [number, number] {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(v);
  const a = Number(m?.[1]);
  const b = Number(m?.[2] ?? m?.[1]);
  if (!m || b < a || a < 1990 || b > 2100) throw new UsageError([`--years 应为 YYYY 或 YYYY-YYYY，例如 2004-2006 (got "${v}")`]);
  return [a, b];
}

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const years = parseYears(args.years);
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

