/**
 * The audit rules (智能审核规则, spec/audit-rules.md) as data, beside the indicator catalogue:
 * each rule's code, Chinese name, why it flags a claim, the evidence it shows, how the amount at
 * stake is counted and the policy parameters it reads (the `audit` block, with the defaults
 * here). The analytics layer turns them into set-based SQL; readers print the names and
 * explanations from here. A rule flags; a person decides (the review states below).
 */
import type { Policy } from './policy.ts';
import { LEDGER_SPENDING } from './vocabulary.ts';

/** Ledger spending categories that are payouts to patients (the HIS's reimbursed, booked). */
export const LEDGER_PAYOUT_CATEGORIES: readonly string[] = LEDGER_SPENDING.codes.filter((c) => c !== 'other');

export type AuditScope = 'claim' | 'roll' | 'fund';

export interface AuditEvidence {
  key: string;
  zh: string;
}

export interface AuditRule {
  code: string;
  zh: string;
  scope: AuditScope;
  /** Why a row is flagged, in the words an auditor reads beside it. */
  explanation: string;
  /** The evidence a flagged row carries (keys of its `evidence` object), in the order shown. */
  evidence: readonly AuditEvidence[];
  /** How the amount at stake is counted (claim rules). */
  atStake?: string;
  /** Parameters of the policy's `audit` block the rule reads. */
  params: readonly AuditParamName[];
}

const ev = (key: string, zh: string): AuditEvidence => ({ key, zh });

export const AUDIT_RULES: readonly AuditRule[] = [
  {
    code: 'over_cap', zh: '超封顶线支付', scope: 'claim', params: [],
    explanation: '按出院日期（同日按结算号）累计，该参合人当年住院补偿超过全年封顶线（或该级别机构的封顶线）：超出部分不应支付',
    evidence: [ev('cap', '封顶线'), ev('paid_before', '此前累计补偿'), ev('paid_after', '含本次累计补偿')],
    atStake: '超出封顶线的部分',
  },
  {
    code: 'single_disease_uncoded', zh: '单病种未按定额结算', scope: 'claim', params: [],
    explanation: '诊断属于政策规定的单病种、在其适用级别机构住院，却没有单病种编码，按比例报销而非定额支付',
    evidence: [ev('entry', '单病种'), ev('fixed_payment', '定额支付'), ev('paid', '实际补偿')],
    atStake: '定额支付 − 实际补偿（可为负：多付）',
  },
  {
    code: 'split_admission', zh: '分解住院嫌疑', scope: 'claim', params: ['split_days'],
    explanation: '同一人在同一机构出院后短期内以同一诊断（ICD-10 前 3 位）再次入院',
    evidence: [ev('previous_claim_id', '前次结算号'), ev('gap_days', '间隔天数'), ev('diagnosis', '诊断')],
    atStake: '后一次住院的补偿',
  },
  {
    code: 'minor_admission', zh: '门诊可治病种住院', scope: 'claim', params: ['outpatient_diagnoses', 'minor_max_days'],
    explanation: '诊断为门诊即可治疗的病种，且住院天数很短（挂床、小病大养嫌疑）',
    evidence: [ev('diagnosis', '诊断'), ev('days', '住院天数'), ev('cost', '总费用')],
    atStake: '本次补偿',
  },
  {
    code: 'overlapping_stays', zh: '住院时间重叠', scope: 'claim', params: [],
    explanation: '同一人两次住院的在院时间重叠一天以上，不可能同时在两处住院',
    evidence: [ev('other_claim_id', '另一结算号'), ev('other_facility', '另一机构'), ev('overlap_days', '重叠天数')],
    atStake: '两次补偿中较小者',
  },
  {
    code: 'duplicate_claim', zh: '重复结算嫌疑', scope: 'claim', params: [],
    explanation: '同一人在同一机构、入出院日期与总费用完全相同的两笔结算',
    evidence: [ev('first_claim_id', '先结算号'), ev('total_cost', '总费用')],
    atStake: '后一笔结算的补偿',
  },
  {
    code: 'sex_mismatch', zh: '性别与诊断不符', scope: 'claim', params: [],
    explanation: '身份证号第 17 位所示性别与诊断不符（如男性的产科、女性生殖系统诊断，女性的男性生殖系统诊断）',
    evidence: [ev('sex', '性别'), ev('diagnosis', '诊断')],
    atStake: '本次补偿',
  },
  {
    code: 'age_mismatch', zh: '年龄与诊断不符', scope: 'claim', params: [],
    explanation: '按身份证号出生日期计算的入院年龄与诊断不符（1 岁及以上的围产期诊断，12 岁以下或 55 岁以上的产科诊断）',
    evidence: [ev('age', '年龄'), ev('diagnosis', '诊断')],
    atStake: '本次补偿',
  },
  {
    code: 'facility_scope', zh: '超出机构收治范围', scope: 'claim', params: [],
    explanation: '诊所、村卫生室没有病床却有住院结算；或 15 岁及以上男性在妇幼保健院就诊',
    evidence: [ev('facility_type', '机构类别'), ev('age', '年龄'), ev('sex', '性别')],
    atStake: '本次补偿',
  },
  {
    code: 'id_conflict', zh: '身份证号冲突', scope: 'roll', params: [],
    explanation: '花名册中同一身份证号在同一年对应不同的姓名或户号：两行都未载入（不按重复处理），请核实后更正（虚报参合人数嫌疑）',
    evidence: [ev('file', '文件'), ev('line', '行号'), ev('reason', '原因')],
  },
  {
    code: 'id_holder_changed', zh: '身份证号对应姓名变化', scope: 'roll', params: [],
    explanation: '同一身份证号今年花名册上的姓名与上一年不同',
    evidence: [ev('previous_name', '上年姓名'), ev('name', '今年姓名'), ev('previous_village', '上年所在村'), ev('village', '今年所在村')],
  },
  {
    code: 'ledger_mismatch', zh: '结算与台账不符', scope: 'fund', params: [],
    explanation: '按出院月份，HIS 补偿合计与基金台账同月补偿支出合计不等',
    evidence: [ev('his', 'HIS 补偿合计'), ev('ledger', '台账补偿支出')],
    atStake: 'HIS − 台账',
  },
  {
    code: 'subsidy_mismatch', zh: '补助到位人数与花名册不符', scope: 'fund', params: [],
    explanation: '某资金来源的到账金额按筹资标准折算的人数，与花名册上该来源应资助的有效参合人数不等',
    evidence: [ev('received', '到账金额'), ev('expected', '按花名册应到'), ev('enrollees', '花名册人数'), ev('implied_enrollees', '到账折算人数')],
    atStake: '到账 − 应到',
  },
];

/** The audit block's parameters with their defaults (spec/policy.md). */
export const AUDIT_DEFAULTS = {
  split_days: 10,
  outpatient_diagnoses: ['J00', 'J01', 'J02', 'J03', 'J04', 'J05', 'J06', 'I10', 'K29', 'K30', 'A09', 'R50', 'R51', 'M54'] as readonly string[],
  minor_max_days: 7,
};
export type AuditParams = typeof AUDIT_DEFAULTS;
export type AuditParamName = keyof AuditParams;

/** The parameters in force: the policy's audit block over the defaults. */
export function auditParams(policy: Policy | undefined): AuditParams {
  const a = policy?.audit ?? {};
  return {
    split_days: a.split_days ?? AUDIT_DEFAULTS.split_days,
    outpatient_diagnoses: a.outpatient_diagnoses ?? AUDIT_DEFAULTS.outpatient_diagnoses,
    minor_max_days: a.minor_max_days ?? AUDIT_DEFAULTS.minor_max_days,
  };
}

export const auditRuleByCode = (code: string): AuditRule | undefined => AUDIT_RULES.find((r) => r.code === code);

/**
 * Diagnoses that a sex or an age at admission contradicts (ICD-10 3-character categories, ranges
 * inclusive as text): a claim is flagged when its category lies in a range and the person is of
 * `sex`, or aged outside [minAge, maxAge].
 */
export interface DiagnosisBound {
  code: 'sex_mismatch' | 'age_mismatch';
  from: string;
  to: string;
  sex?: 'male' | 'female';
  minAge?: number;
  maxAge?: number;
}

export const DIAGNOSIS_BOUNDS: readonly DiagnosisBound[] = [
  // men: pregnancy and childbirth, female genital organs and their neoplasms
  { code: 'sex_mismatch', from: 'O00', to: 'O9A', sex: 'male' },
  { code: 'sex_mismatch', from: 'N70', to: 'N98', sex: 'male' },
  { code: 'sex_mismatch', from: 'C51', to: 'C58', sex: 'male' },
  { code: 'sex_mismatch', from: 'D06', to: 'D06', sex: 'male' },
  { code: 'sex_mismatch', from: 'D25', to: 'D28', sex: 'male' },
  // women: male genital organs and their neoplasms
  { code: 'sex_mismatch', from: 'N40', to: 'N53', sex: 'female' },
  { code: 'sex_mismatch', from: 'C60', to: 'C63', sex: 'female' },
  // perinatal conditions at 1 year or older; pregnancy below 12 or above 55
  { code: 'age_mismatch', from: 'P00', to: 'P96', minAge: 0, maxAge: 0 },
  { code: 'age_mismatch', from: 'O00', to: 'O9A', minAge: 12, maxAge: 55 },
];

/** Review (复核) of a finding: 待复核 → 确认违规 / 排除 → 已追回. */
export const REVIEW_STATES = [
  { code: 'pending', zh: '待复核' },
  { code: 'confirmed', zh: '确认违规' },
  { code: 'dismissed', zh: '排除' },
  { code: 'recovered', zh: '已追回' },
] as const;
export type ReviewState = (typeof REVIEW_STATES)[number]['code'];
export const reviewStateZh = (code: string): string => REVIEW_STATES.find((s) => s.code === code)?.zh ?? code;

/**
 * The single-disease entries as the audit reads them: one row per entry, level and diagnosis
 * prefix (the entry's `icd`, or its code), in policy order (the first entry wins a claim).
 */
export function singleDiseasePrefixes(policy: Policy | undefined): { entry: number; code: string; name: string; level: string; prefix: string; fund_pays: number }[] {
  return (policy?.single_disease ?? []).flatMap((s, entry) =>
    s.levels.flatMap((level) =>
      (s.icd ?? [s.code.toUpperCase()]).map((prefix) => ({ entry, code: s.code, name: s.name ?? s.code, level, prefix: prefix.replace('.', ''), fund_pays: s.fund_pays })),
    ),
  );
}
