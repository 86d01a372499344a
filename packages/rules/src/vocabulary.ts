/**
 * The scheme's words, once: every code the platform stores or prints for facility levels,
 * enrolment categories, fund sources, ledger categories, visit types, grains, audit findings
 * and fund warnings, with the Chinese label a county office uses and the other spellings
 * extract files may carry. Extract specs, the policy schema, the indicator catalogue, the
 * models' parameters and every printed label import them from here.
 */

export interface Term<C extends string = string> {
  code: C;
  /** The label a county office writes (中文). */
  zh: string;
  en: string;
  /** Other spellings accepted in extract files, besides the code and the Chinese label. */
  aliases?: readonly string[];
}

export interface Vocabulary<C extends string> {
  readonly codes: readonly C[];
  readonly terms: readonly Term<C>[];
  has(code: string): code is C;
  /** The Chinese label; an unknown code is returned as it is. */
  zh(code: string): string;
  /** code → every accepted spelling (code, Chinese label, aliases), for the extract readers. */
  spellings(): Record<C, readonly string[]>;
}

function vocabulary<const C extends string>(terms: readonly Term<C>[]): Vocabulary<C> {
  const byCode = new Map<string, Term<C>>(terms.map((t) => [t.code, t]));
  return {
    codes: terms.map((t) => t.code),
    terms,
    has: (code: string): code is C => byCode.has(code),
    zh: (code) => byCode.get(code)?.zh ?? code,
    spellings: () => Object.fromEntries(terms.map((t) => [t.code, [t.code, t.zh, ...(t.aliases ?? [])]])) as unknown as Record<C, readonly string[]>,
  };
}

/** Levels a facility carries in the registry (定点医疗机构目录). */
export const FACILITY_LEVEL = vocabulary([
  { code: 'township', zh: '乡镇卫生院', en: 'township health centre', aliases: ['一级', '乡镇', '卫生院'] },
  { code: 'county', zh: '县级医院', en: 'county hospital', aliases: ['县级', '二级'] },
  { code: 'city', zh: '市级医院', en: 'city hospital', aliases: ['市级', '三级'] },
  { code: 'provincial', zh: '省级医院', en: 'provincial hospital', aliases: ['省级'] },
]);
export type FacilityLevel = (typeof FACILITY_LEVEL.codes)[number];

/** What kind of facility the registry says it is (机构类别): the audit's 超出机构收治范围 reads it. */
export const FACILITY_TYPE = vocabulary([
  { code: 'general', zh: '综合医院', en: 'general hospital', aliases: ['综合'] },
  { code: 'tcm', zh: '中医院', en: 'hospital of Chinese medicine', aliases: ['中医'] },
  { code: 'mch', zh: '妇幼保健院', en: 'maternal and child health hospital', aliases: ['妇幼', '妇幼保健站', '妇幼保健所'] },
  { code: 'township_center', zh: '乡镇卫生院', en: 'township health centre', aliases: ['卫生院', '中心卫生院'] },
  { code: 'clinic', zh: '诊所/村卫生室', en: 'clinic (no beds)', aliases: ['诊所', '村卫生室', '个体诊所', '卫生室'] },
  { code: 'other', zh: '其他', en: 'other' },
]);
export type FacilityType = (typeof FACILITY_TYPE.codes)[number];

/** Levels a policy pays by: a facility's level, or non_designated when the registry says it is not designated. */
export const RULE_LEVEL = vocabulary([
  ...FACILITY_LEVEL.terms,
  { code: 'non_designated', zh: '非定点机构', en: 'non-designated facility' },
]);
export type Level = (typeof RULE_LEVEL.codes)[number];

/** How payouts are broken down by level: the rule levels and claims at facilities the registry does not know. */
export const PAYOUT_LEVEL = vocabulary([...RULE_LEVEL.terms, { code: 'unknown', zh: '不在目录中', en: 'not in the registry' }]);
export type PayoutLevel = (typeof PAYOUT_LEVEL.codes)[number];

export const CATEGORY = vocabulary([
  { code: 'general', zh: '一般', en: 'general', aliases: ['普通'] },
  { code: 'wubao', zh: '五保', en: 'five-guarantee', aliases: ['五保户'] },
  { code: 'dibao', zh: '低保', en: 'minimum living guarantee', aliases: ['低保户'] },
  { code: 'tekun', zh: '特困', en: 'extreme hardship' },
  { code: 'disabled', zh: '残疾', en: 'disabled' },
  { code: 'poor', zh: '贫困', en: 'registered poor' },
]);
export type Category = (typeof CATEGORY.codes)[number];

/** Who pays into the fund; a ledger income category and a funding standard's key. */
export const FUND_SOURCE = vocabulary([
  { code: 'individual', zh: '个人缴费', en: 'individual' },
  { code: 'central', zh: '中央补助', en: 'central government' },
  { code: 'provincial', zh: '省级补助', en: 'provincial government' },
  { code: 'county', zh: '县级补助', en: 'county government' },
  { code: 'civil_affairs', zh: '民政资助', en: 'civil affairs' },
]);
export type Source = (typeof FUND_SOURCE.codes)[number];

/** Ledger income that is not funding (it still counts in the fund's balance). */
export const OTHER_INCOME = vocabulary([
  { code: 'interest', zh: '利息', en: 'interest' },
  { code: 'other', zh: '其他收入', en: 'other income', aliases: ['其他'] },
]);

export const LEDGER_SPENDING = vocabulary([
  { code: 'inpatient', zh: '住院补偿', en: 'inpatient payouts' },
  { code: 'outpatient', zh: '门诊补偿', en: 'outpatient payouts' },
  { code: 'single_disease', zh: '单病种补偿', en: 'single-disease payouts' },
  { code: 'other', zh: '其他支出', en: 'other spending', aliases: ['其他'] },
]);

export const VISIT_TYPE = vocabulary([
  { code: 'inpatient', zh: '住院', en: 'inpatient' },
  { code: 'outpatient', zh: '门诊', en: 'outpatient' },
]);

/** The units indicators are computed for: the county and its divisions, and the facilities (医疗机构监管). */
export const GRAIN = vocabulary([
  { code: 'county', zh: '县', en: 'county' },
  { code: 'township', zh: '乡镇', en: 'township' },
  { code: 'village', zh: '村', en: 'village' },
  { code: 'facility', zh: '医疗机构', en: 'facility' },
]);
export type Grain = (typeof GRAIN.codes)[number];

/** What the audit says of a claim (spec/indicators.md, 审核结论). */
export const FINDING = vocabulary([
  { code: 'underpaid', zh: '少付', en: 'underpaid' },
  { code: 'overpaid', zh: '多付', en: 'overpaid' },
  { code: 'non_enrolled', zh: '非参合人员报销', en: 'claim of a person not enrolled that year' },
  { code: 'unknown_facility', zh: '不在定点目录中', en: 'facility not in the registry' },
  { code: 'not_designated', zh: '非定点机构', en: 'facility not designated' },
  { code: 'unknown_division', zh: '不在人口统计中', en: 'village not in the census' },
  { code: 'enrolment_moved', zh: '参合信息变更', en: 'enrolment moved between loads' },
]);
export type Finding = (typeof FINDING.codes)[number];

/** Fund warnings (预警); their conditions are in the catalogue (indicators.ts, WARNINGS). */
export const WARNING = vocabulary([
  { code: 'surplus_negative', zh: '当年收不抵支', en: 'spending exceeds the year\'s funds' },
  { code: 'surplus_high', zh: '当年结余率超标', en: 'surplus rate above the limit' },
  { code: 'cumulative_high', zh: '累计结余超标', en: 'cumulative surplus above the limit' },
  { code: 'projected_deficit', zh: '预计赤字超警戒线', en: 'projected deficit beyond the warning line' },
]);
export type WarningCode = (typeof WARNING.codes)[number];
