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

/** Offices read these messages: Chinese first, the English in brackets (spec/policy.md). */
const say = (zh: string, en: string) => `${zh} (${en})`;
const RATE_HINT = '比例请写成小数：25 % 写作 0.25';
/** The message of a value of the wrong type, or of a missing one. */
const expected = (zh: string, en: string) => (iss: { input?: unknown }) => (iss.input === undefined ? say('缺少此项', 'is required') : say(zh, en));

const amount = z
  .number({ error: expected('应为金额（元）', 'must be an amount in 元') })
  .nonnegative({ error: say('不能为负数', 'must not be negative') })
  .refine((x) => decimalPlaces(x) <= 2, { error: say('最多保留 2 位小数', 'must have at most 2 decimals'), ...always });
const positiveAmount = amount.refine((x) => x > 0, { error: say('应大于 0', 'must be greater than 0'), ...always });
const rate = z
  .number({ error: expected('应为 0 到 1 之间的小数', 'must be a rate between 0 and 1') })
  .min(0, { error: say('应在 0 到 1 之间', 'must be between 0 and 1') })
  .max(1, { error: `${say('应在 0 到 1 之间', 'must be between 0 and 1')}；${RATE_HINT}` })
  .refine((x) => decimalPlaces(x) <= 4, { error: say('最多保留 4 位小数', 'must have at most 4 decimals'), ...always });
/** Factors multiply payouts (0.8 of the in-county standard); above 1 is allowed but unusual. */
const factor = z
  .number({ error: expected('应为数字', 'must be a number') })
  .nonnegative({ error: say('不能为负数', 'must not be negative') })
  .max(10, { error: say('不能大于 10', 'must be at most 10') })
  .refine((x) => decimalPlaces(x) <= 4, { error: say('最多保留 4 位小数', 'must have at most 4 decimals'), ...always });
const cap = amount.nullable().optional();

/**
 * Bands of a progressive scale (reimbursement bands, the insurer's sharing bands): `upTo`
 * strictly increasing, only the last one unbounded (null).
 */
function checkBands(bands: readonly { upTo: number | null }[], ctx: z.RefinementCtx, at: readonly (string | number)[]): void {
  bands.forEach((b, i) => {
    const last = i === bands.length - 1;
    const path = [...at, i, 'upTo'];
    if (last && b.upTo !== null) ctx.addIssue({ code: 'custom', path, message: say('最后一档应写 upTo: null（不封顶）', 'the last band must have upTo: null (unbounded)') });
    if (!last && b.upTo === null) ctx.addIssue({ code: 'custom', path, message: say('只有最后一档可以写 upTo: null', 'only the last band may have upTo: null') });
    const prev = bands[i - 1];
    if (i > 0 && b.upTo !== null && prev?.upTo != null && b.upTo <= prev.upTo)
      ctx.addIssue({ code: 'custom', path, message: say(`应大于 ${at.at(-1)}[${i - 1}].upTo`, `must be greater than ${at.at(-1)}[${i - 1}].upTo`) });
  });
}

const band = z.strictObject({ upTo: amount.nullable(), rate });

const levelRule = z
  .strictObject({
    deductible: amount,
    mode: z.enum(['whole', 'banded'], { error: say('应为 "whole"（全额累进）或 "banded"（分段累进）', 'must be "whole" or "banded"') }),
    bands: z.array(band).min(1, { error: say('至少需要一档', 'needs at least one band') }),
    factor: factor.optional(),
    claim_cap: cap,
    annual_cap: cap,
  })
  .superRefine((rule, ctx) => checkBands(rule.bands, ctx, ['bands']));

const standard = z.partialRecord(z.enum(SOURCES), amount);

/** 大额补偿 reporting thresholds: whole amounts, strictly increasing. */
const thresholds = z
  .array(positiveAmount.refine((x) => Number.isInteger(x), { error: say('应为整数元', 'must be a whole amount in 元'), ...always }))
  .min(1, { error: say('至少需要一个金额', 'needs at least one amount') })
  .max(8, { error: say('最多 8 个金额', 'at most 8 amounts') })
  .superRefine((xs, ctx) =>
    xs.forEach((x, i) => {
      if (i > 0 && x <= xs[i - 1]!) ctx.addIssue({ code: 'custom', path: [i], message: say(`应大于前一个金额 ${xs[i - 1]}`, 'must be greater than the one before') });
    }),
  );

/** 商保经办: the insurer's premium target and how the year's result is shared (分段计算，累计支付). */
const insurer = z
  .strictObject({
    per_capita_target: positiveAmount,
    bands: z.array(z.strictObject({ upTo: amount.nullable(), share: rate })).min(1, { error: say('至少需要一档', 'needs at least one band') }),
    limit_share_of_premium: rate.refine((x) => x > 0, { error: say('应大于 0', 'must be greater than 0'), ...always }),
    presettle_share: rate,
  })
  .superRefine((i, ctx) => checkBands(i.bands, ctx, ['bands']));

/** Parameters of the audit rules (spec/audit-rules.md); defaults in the rules' catalogue (audit-rules.ts). */
const audit = z.strictObject({
  split_days: z.number({ error: expected('应为天数', 'must be a number of days') }).int({ error: say('应为整数天', 'must be whole days') }).min(0, { error: say('不能为负数', 'must not be negative') }).max(365, { error: say('不能超过 365 天', 'must be at most 365 days') }).optional(),
  outpatient_diagnoses: z.array(z.string().trim().toUpperCase().regex(/^[A-Z][0-9][0-9A-Z]$/, { error: say('应为 3 位 ICD-10 类目，如 "J06"', 'must be a 3-character ICD-10 category such as "J06"') })).optional(),
  minor_max_days: z.number({ error: expected('应为天数', 'must be a number of days') }).int({ error: say('应为整数天', 'must be whole days') }).min(0, { error: say('不能为负数', 'must not be negative') }).max(365, { error: say('不能超过 365 天', 'must be at most 365 days') }).optional(),
});

export const policySchema = z.strictObject({
  scheme: z.string().min(1, { error: say('请写明方案名称', 'must name the scheme') }),
  year: z.number({ error: expected('应为年度', 'must be a year') }).int({ error: say('应为年度', 'must be a year') }).min(1990, { error: say('年度应在 1990 到 2100 之间', 'must be between 1990 and 2100') }).max(2100, { error: say('年度应在 1990 到 2100 之间', 'must be between 1990 and 2100') }),
  funding: z.strictObject({
    standards: z.partialRecord(z.enum(CATEGORIES), standard).refine((s) => s.general !== undefined, { error: say('应包含 "general"（一般人员）的标准', 'must include "general"') }),
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
        code: z.string().trim().min(1, { error: say('请写病种编码', 'must give the code') }),
        name: z.string().optional(),
        levels: z.array(z.enum(LEVELS)).min(1, { error: say('至少写一个机构级别', 'needs at least one level') }),
        fund_pays: amount,
        /** Diagnosis prefixes the entry covers (default [code]): the audit's 单病种未按定额结算 reads them. */
        icd: z.array(z.string().trim().toUpperCase().regex(/^[A-Z][0-9A-Z.]*$/, { error: say('应为 ICD-10 编码前缀，如 "K35"', 'must be an ICD-10 prefix such as "K35"') })).min(1, { error: say('至少写一个编码前缀', 'needs at least one prefix') }).optional(),
      }),
    )
    .optional(),
  outpatient: z
    .strictObject({
      mode: z.enum(['ratio', 'family_account'], { error: say('应为 "ratio"（按比例）或 "family_account"（家庭账户）', 'must be "ratio" or "family_account"') }),
      rate: rate.optional(),
      per_visit_cap: cap,
      annual_cap: cap,
      levels: z.array(z.enum(LEVELS)).default([]),
    })
    .superRefine((o, ctx) => {
      if (o.mode === 'ratio' && o.rate === undefined) ctx.addIssue({ code: 'custom', path: ['rate'], message: say('按比例补偿时必须写 rate', 'is required when mode is "ratio"') });
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
      max_cumulative_surplus_months: factor.refine((x) => x > 0, { error: say('应大于 0', 'must be greater than 0'), ...always }).optional(),
      large_payout_thresholds: thresholds.optional(),
    })
    .optional(),
  insurer: insurer.optional(),
  audit: audit.optional(),
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
    if (i.code === 'unrecognized_keys') msg = say(`有未知字段 ${i.keys.map((k) => `"${k}"`).join('、')}，请检查拼写`, `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`);
    else if (i.code === 'invalid_key') {
      const names = [...LEVELS, ...CATEGORIES, ...SOURCES].filter((x, k, a) => a.indexOf(x) === k).join(', ');
      msg = say(`名称不可识别，应为 ${names} 之一`, `unknown name, expected one of: ${names}`);
    }
    else if (i.code === 'invalid_type' && / undefined$/.test(msg)) msg = say('缺少此项', 'is required');
    else if (i.code === 'invalid_value' && !msg.includes(' (')) msg = say(`应为 ${i.values.map((v) => JSON.stringify(v)).join('、')} 之一`, `must be one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`);
    else if (!msg.includes(' (')) msg = say('格式不对', msg);
    return where ? `${where} ${msg}` : msg;
  });
  throw new PolicyError(problems, source);
}

/** JSON Schema for editors (VS Code's json.schemas), generated from the same definition. */
export function policyJsonSchema(): object {
  return z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' });
}

/**
 * The county's name, as reports and tables call the county row: the scheme's name up to its
 * first 县, 市, 区 or 旗 (示例县新型农村合作医疗 → 示例县); 全县 when it has none.
 */
export function countyNameOf(scheme: string | undefined): string {
  return (scheme && /^.+?[县市区旗]/.exec(scheme)?.[0]) || '全县';
}

/** The policy in force for a year: its own, else the latest earlier one (and a note saying so). */
export function policyForYear(policies: readonly Policy[], year: number): { policy: Policy; note?: string } | undefined {
  const own = policies.find((p) => p.year === year);
  if (own) return { policy: own };
  const earlier = policies.filter((p) => p.year < year).sort((a, b) => b.year - a.year)[0];
  return earlier ? { policy: earlier, note: `${year} 年没有政策文件，沿用 ${earlier.year} 年的政策 (using the ${earlier.year} policy)` } : undefined;
}
