import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';

/** `YYYY` or `YYYY-YYYY` between 1990 and 2100, in order; undefined otherwise. */
export function yearRange(v: string): [number, number] | undefined {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(v);
  const a = Number(m?.[1]);
  const b = Number(m?.[2] ?? m?.[1]);
  return m && a <= b && a >= 1990 && b <= 2100 ? [a, b] : undefined;
}

export const options = {
  out: { type: { kind: 'string', placeholder: 'DIR' }, zh: '输出目录', en: 'where to write the extracts', required: true },
  seed: { type: { kind: 'int', placeholder: 'N', min: 0 }, zh: '随机种子', en: 'random seed', default: 1 },
  scale: { type: { kind: 'number', placeholder: 'S', above: 0, max: 100 }, zh: '规模：1 约为 22 万农业人口，可为小数', en: 'size: 1 ≈ 220,000 agricultural population; fractions allowed', default: 1 },
  years: { type: { kind: 'string', placeholder: 'YYYY-YYYY' }, zh: '年度范围', en: 'the scheme years', default: '2004-2006', check: (v) => (yearRange(v) ? undefined : '应为 YYYY 或 YYYY-YYYY，例如 2004-2006 (a year or a range of years)') },
} as const satisfies Record<string, OptionSpec>;

export const generate = defineCommand({
  name: 'generate',
  zh: '生成示例县的合成数据（同一种子得到相同的文件）',
  en: 'write a synthetic county\'s extracts (same seed, same bytes)',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage],
  examples: ['ncms generate --out data/sample', 'ncms generate --out /tmp/big --scale 10 --seed 7'],
  run: (args, positionals) => import('../run/generate.ts').then((m) => m.run(args, positionals)),
});
