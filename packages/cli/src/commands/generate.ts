import { resolve } from 'node:path';
import { generateCounty } from '@ncms/sample-county';
import { UsageError, intOption, option, type Command } from '../cli-kit.ts';

export function parseYears(v: unknown): [number, number] {
  if (v === undefined) return [2004, 2006];
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(String(v));
  const a = Number(m?.[1]);
  const b = Number(m?.[2] ?? m?.[1]);
  if (!m || b < a || a < 1990 || b > 2100) throw new UsageError([`--years 应为 YYYY 或 YYYY-YYYY，例如 2004-2006 (got "${String(v)}")`]);
  return [a, b];
}

export function parseScale(v: unknown): number {
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new UsageError([`--scale 应为大于 0、不超过 100 的数，例如 0.1、1、10 (got "${String(v)}")`]);
  return n;
}

export const generate: Command = {
  name: 'generate',
  summary: '生成示例县的合成数据 (write a synthetic county\'s extracts)',
  usage: 'ncms generate --out DIR [--seed N] [--scale S] [--years 2004-2006]',
  options: { out: { type: 'string' }, seed: { type: 'string' }, scale: { type: 'string' }, years: { type: 'string' } },
  async run({ values }) {
    const problems: string[] = [];
    if (!values.out) problems.push('--out DIR 是必需的 (where to write the extracts)');
    const seed = option(problems, () => intOption('seed', values.seed, 1), 1);
    const scale = option(problems, () => parseScale(values.scale), 1);
    const years = option<[number, number]>(problems, () => parseYears(values.years), [2004, 2006]);
    if (problems.length) throw new UsageError(problems);
    const out = resolve(String(values.out));
    const started = Date.now();
    const r = await generateCounty({ out, seed, scale, years, onProgress: (m) => process.stderr.write(`generate: ${m}\n`) });
    process.stdout.write(
      `示例县已生成 generated ${r.files.length} files in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)\n` +
        `  ${r.townships} townships, ${r.villages} villages, agricultural population ${r.agriculturalPopulation}\n` +
        Object.keys(r.enrollees).map((y) => `  ${y}: ${r.enrollees[Number(y)]} enrollees, ${r.claims[Number(y)]} claims\n`).join(''),
    );
    return 0;
  },
};
