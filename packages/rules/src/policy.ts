/**
 * The yearly policy file (spec/policy.md): its schema, validated with zod, every
 * problem reported with its path. Nothing is computed with a half-valid policy.
 */
import { z } from 'zod';
import { decimalPlaces } from './decimal.ts';

import { CATEGORY, FUND_SOURCE, RULE_LEVEL } from './vocabulary.ts';

const LEVELS = RULE_LEVEL.codes;
const CATEGORIES = CATEGORY.codes;
const SOURCES = FUND_SOURCE.codes;

/** Run a check even when other parts of the file have problems, so every problem is reported at once. */
const always = { when: (p: { value: unknown }) => typeof p.value === 'number' };

const amount = z
  .number({ error: 'must be an amount in 元' })
  .nonnegative({ error: 'must not be negative' })
  .refine((x) => decimalPlaces(x) <= 2, { error: 'must have at most 2 decimals', ...always });
const rate = z
  .number({ error: 'must be a rate between 0 and 1' })
  .min(0, { error: 'must be between 0 and 1' })
  .max(1, { error: 'must be between 0 and 1' })
  .refine((x) => decimalPlaces(x) <= 4, { error: 'must have at most 4 decimals', ...always });
/** Factors multiply payouts (0.8 of the in-county standard); above 1 is allowed but unusual. */
const factor = z
  .number({ error: 'must be a number' })
  .nonnegative({ error: 'must not be negative' })
  .max(10, { error: 'must be at most 10' })
  .refine((x) => decimalPlaces(x) <= 4, { error: 'must have at most 4 decimals', ...always });
const cap = amount.nullable().optional();

const band = z.strictObject({ upTo: amount.nullable(), rate });

const levelRule = z
  .strictObject({
    deductible: amount,
    mode: z.enum(['whole', 'banded'], { error: 'must be "whole" (全额累进) or "banded" (分段累进)' }),
    bands: z.array(band).min(1, { error: 'needs at least one band' }),
    factor: factor.optional(),
    claim_cap: cap,
    annual_cap: cap,
  })
  .superRefine((rule, ctx) => {
    rule.bands.forEach((b, i) => {
      const last = i === rule.bands.length - 1;
      if (last && b.upTo !== null) ctx.addIssue({ code: 'custom', path: ['bands', i, 'upTo'], message: 'the last band must have upTo: null (unbounded)' });
      if (!last && b.upTo === null) ctx.addIssue({ code: 'custom', path: ['bands', i, 'upTo'], message: 'only the last band may have upTo: null' });
      const prev = rule.bands[i - 1];
      if (i > 0 && b.upTo !== null && prev?.upTo != null && b.upTo <= prev.upTo)
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'upTo'], message: `must be greater than bands[${i - 1}].upTo` });
    });
  });

const standard = z.partialRecord(z.enum(SOURCES), amount);

export const policySchema = z.strictObject({
  scheme: z.string().min(1, { error: 'must name the scheme' }),
  year: z.number().int({ error: 'must be a year' }).min(1990).max(2100),
  funding: z.strictObject({
    standards: z.partialRecord(z.enum(CATEGORIES), standard).refine((s) => s.general !== undefined, { error: 'must include "general"' }),
    family_account_per_capita: amount.optional(),
  }),
  inpatient: z.strictObject({
    levels: z.partialRecord(z.enum(LEVELS), levelRule),
    annual_cap: cap,
    unreferred_factor: factor.optional(),
  }),
  single_disease: z
    .array(
      z.strictObject({
        code: z.string().trim().min(1),
        name: z.string().optional(),
        levels: z.array(z.enum(LEVELS)).min(1),
        fund_pays: amount,
      }),
    )
    .optional(),
  outpatient: z
    .strictObject({
      mode: z.enum(['ratio', 'family_account'], { error: 'must be "ratio" or "family_account"' }),
      rate: rate.optional(),
      per_visit_cap: cap,
      annual_cap: cap,
      levels: z.array(z.enum(LEVELS)).default([]),
    })
    .superRefine((o, ctx) => {
      if (o.mode === 'ratio' && o.rate === undefined) ctx.addIssue({ code: 'custom', path: ['rate'], message: 'is required when mode is "ratio"' });
    })
    .optional(),
  targets: z
    .strictObject({
      participation_rate: rate.optional(),
      inpatient_eligible_ratio: rate.optional(),
      outpatient_ratio: rate.optional(),
      max_surplus_rate: rate.optional(),
      max_cumulative_surplus_share: factor.optional(),
      max_drug_share: rate.optional(),
      deficit_warning: amount.optional(),
    })
    .optional(),
  village_rewards: z.array(z.strictObject({ min_rate: rate, per_enrollee: amount })).optional(),
});

export type Policy = z.infer<typeof policySchema>;
export type LevelRule = z.infer<typeof levelRule>;

/** A policy file that does not validate: one message per problem, each with its path. */
export class PolicyError extends Error {
  constructor(
    readonly problems: string[],
    readonly source = 'policy',
  ) {
    super(problems.map((p) => `${source}: ${p}`).join('\n'));
    this.name = 'PolicyError';
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

export function parsePolicy(json: unknown, source = 'policy'): Policy {
  const r = policySchema.safeParse(json);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => {
    const where = pathText(i.path);
    let msg = i.message;
    if (i.code === 'unrecognized_keys') msg = `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    if (i.code === 'invalid_key') msg = `unknown name (expected one of: ${[...LEVELS, ...CATEGORIES, ...SOURCES].filter((x, k, a) => a.indexOf(x) === k).join(', ')})`;
    return where ? `${where} ${msg}` : msg;
  });
  throw new PolicyError(problems, source);
}

/** JSON Schema for editors (VS Code's json.schemas), generated from the same definition. */
export function policyJsonSchema(): object {
  return z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' });
}

/** The policy in force for a year: its own, else the latest earlier one (and a note saying so). */
export function policyForYear(policies: readonly Policy[], year: number): { policy: Policy; note?: string } | undefined {
  const own = policies.find((p) => p.year === year);
  if (own) return { policy: own };
  const earlier = policies.filter((p) => p.year < year).sort((a, b) => b.year - a.year)[0];
  return earlier ? { policy: earlier, note: `${year} 年没有政策文件，沿用 ${earlier.year} 年的政策 (using the ${earlier.year} policy)` } : undefined;
}
