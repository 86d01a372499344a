/**
 * The indicator catalogue (spec/indicators.md): every number leaders and higher levels look
 * at, defined once, as data. Like a DHIS2 indicator, an entry names its numerator and
 * denominator (the ratio is taken last, after the sums) or a single value, each an
 * expression over named facts — `{inpatient_payout}` — that the analytics models compute
 * per unit and period; `$name` is a parameter from the year's policy. The CLI, the API,
 * the pages and the reports read this list; `indicator-sql.ts` turns it into SQL.
 */
import { FUND_SOURCE, PAYOUT_LEVEL, type Grain } from './vocabulary.ts';

export type Unit = 'people' | 'households' | 'rate' | 'yuan' | 'count' | 'days' | 'months' | 'ratio' | 'codes' | 'flag';
export type Section = 'enrolment' | 'funding' | 'payouts' | 'fund' | 'insurer' | 'audit' | 'equity' | 'growth' | 'facility';

export interface Indicator {
  id: string;
  zh: string;
  en: string;
  section: Section;
  unit: Unit;
  /** The formula in words, as the spec states it. */
  formula: string;
  /** A value shown as it is: an expression over facts (`{fact}`) and parameters (`$name`). */
  value?: string;
  /** A ratio: numerator ÷ denominator × factor, after the sums. Money ratios (unit 元) round half up to the fen. */
  numerator?: string;
  denominator?: string;
  factor?: number;
  /** Computed outside the facts' SQL: by the equity maths (equity.ts) from sub-units, or the insurer's monthly series (insurer.ts). */
  computedBy?: 'equity' | 'insurer';
  /** A family: one column per key, `<id>_<key>`; `<key>` in the expressions stands for the key. */
  keys?: readonly string[];
  /** Keys whose unit is not the family's (a range of money beside a ratio of rates). */
  keyUnits?: Readonly<Record<string, Unit>>;
  /**
   * The keys come from the year's policy (`targets.large_payout_thresholds`): `ge_<amount>` for
   * each threshold, then the fixed keys; `keys` holds the default thresholds' keys.
   */
  thresholdKeys?: readonly string[];
  /** A series (JSON/API only), not a column of `ncms indicators`. */
  series?: boolean;
  /** Also computed per discharge month and quarter (its expressions read only claim facts). */
  monthly?: boolean;
  /** A figure per claim (audit listings), not a column of `ncms indicators`. */
  perClaim?: boolean;
  /** Needs the year's policy (targets, standards); empty without one. */
  needsPolicy?: boolean;
  /**
   * Computed for the county only (spec: the fund is pooled at county level); township and
   * village rows leave it empty.
   */
  countyOnly?: boolean;
  /** Also computed per facility (`--by facility`), over the facility's claims of the year's enrolees. */
  facility?: boolean;
  /** Computed per facility only (医疗机构监管). */
  facilityOnly?: boolean;
}

/** Default reporting thresholds of large payouts (spec: 2,000 / 5,000 / 10,000 元); a policy may set its own. */
export const LARGE_PAYOUT_THRESHOLDS: readonly number[] = [2000, 5000, 10000];

/** The family key of a large-payout threshold: `ge_5000`. */
export const thresholdKey = (amount: number): string => `ge_${amount}`;

/** A policy's large-payout thresholds, or the default ones. */
export function largePayoutThresholds(policy: { targets?: { large_payout_thresholds?: readonly number[] } } | undefined): readonly number[] {
  return policy?.targets?.large_payout_thresholds ?? LARGE_PAYOUT_THRESHOLDS;
}

/** A fact as an expression operand. */
const f = (fact: string) => `{${fact}}`;

/**
 * The pool (统筹基金): the year's funding less what went to household outpatient accounts, plus a
 * balance those accounts hand back to the pool when the scheme stops using them.
 */
const POOLED_FUNDS = '({funds_raised} - {family_account_funds} + {family_account_returned})';
/**
 * The pool's cumulative surplus: the opening balance plus every year's income (interest and
 * other included) less what went to household accounts and the pool's payouts, up to this one.
 * A balance handed back by household accounts is counted where it enters the pool.
 */
const CUMULATIVE_SURPLUS =
  '({opening_balance} + {income_all_to_date} - {family_account_funds_to_date} + {family_account_returned_to_date} - {pooled_payouts_to_date})';
const PROJECTED_YEAR_END = `${POOLED_FUNDS} - div_fen({pooled_payouts} * 12, {months})`;
/** The unit's share of the county's pool: by its enrolees, half up to the fen. */
const ALLOCATED_FUNDS = 'div_fen({county_pooled_funds} * {enrollees}, {county_enrollees})';
const rateOf = (n: string, d: string) => `CAST(${n} AS DOUBLE) / nullif(CAST(${d} AS DOUBLE), 0)`;

export const INDICATORS: readonly Indicator[] = [
  // 参合
  { id: 'agricultural_population', zh: '农业人口', en: 'Agricultural population', section: 'enrolment', unit: 'people', formula: 'Σ census.agricultural_population', value: f('agricultural_population') },
  { id: 'enrollees', zh: '参合人数', en: 'Enrollees', section: 'enrolment', unit: 'people', formula: 'count of distinct persons enrolled', value: f('enrollees') },
  { id: 'households', zh: '参合户数', en: 'Enrolled households', section: 'enrolment', unit: 'households', formula: 'count of distinct household_id', value: f('households') },
  { id: 'participation_rate', zh: '参合率', en: 'Participation rate', section: 'enrolment', unit: 'rate', formula: 'enrollees of villages in the census ÷ agricultural_population', numerator: f('census_enrollees'), denominator: f('agricultural_population') },
  { id: 'subsidized_enrollees', zh: '资助参合人数', en: 'Subsidised enrollees', section: 'enrolment', unit: 'people', formula: 'enrollees with category ≠ general', value: f('subsidized_enrollees') },
  { id: 'subsidized_share', zh: '资助参合占比', en: 'Subsidised share', section: 'enrolment', unit: 'rate', formula: 'subsidized_enrollees ÷ enrollees', numerator: f('subsidized_enrollees'), denominator: f('enrollees') },
  {
    id: 'gap_to_target', zh: '距目标差额(人)', en: 'Gap to target (persons)', section: 'enrolment', unit: 'people', needsPolicy: true,
    formula: 'max(0, ⌈target × agricultural_population⌉ − enrollees of villages in the census), exact',
    value: 'CASE WHEN $target_bp IS NULL OR {agricultural_population} IS NULL THEN NULL ELSE greatest(0, ($target_bp * {agricultural_population} + 9999) // 10000 - {census_enrollees}) END',
  },
  {
    id: 'campaign_progress', zh: '参合进度', en: 'Campaign progress', section: 'enrolment', unit: 'rate', series: true,
    formula: 'enrollees of census villages with enrolled_on ≤ d ÷ agricultural_population on each reporting day d (Mondays and Thursdays); enrollees without a date counted apart',
    numerator: f('census_enrolled_by_day'), denominator: f('agricultural_population'),
  },
  { id: 'in_census', zh: '在人口统计中', en: 'In the census', section: 'enrolment', unit: 'flag', formula: 'whether the unit is in the year\'s census (false: a code seen only in enrolment)', value: f('in_census') },
  { id: 'village_reward', zh: '村级奖励', en: 'Village rewards', section: 'enrolment', unit: 'yuan', needsPolicy: true, formula: 'per village: the tier for its participation rate × enrollees; above a village, the sum', value: f('village_reward') },
  // 筹资
  { id: 'funds_raised', zh: '筹资总额', en: 'Funds raised', section: 'funding', unit: 'yuan', countyOnly: true, formula: 'Σ ledger income of the scheme year, interest and other income excluded', value: f('funds_raised') },
  { id: 'funds_by_source', zh: '分来源筹资', en: 'Funds by source', section: 'funding', unit: 'yuan', countyOnly: true, keys: FUND_SOURCE.codes, formula: 'funds_raised per category', value: f('funds_<key>') },
  { id: 'per_capita_funding', zh: '人均筹资', en: 'Funding per enrollee', section: 'funding', unit: 'yuan', countyOnly: true, formula: 'funds_raised ÷ enrollees (to the fen, half up)', numerator: f('funds_raised'), denominator: f('enrollees') },
  { id: 'expected_contributions', zh: '应筹资金', en: 'Expected contributions', section: 'funding', unit: 'yuan', keys: FUND_SOURCE.codes, needsPolicy: true, formula: 'Σ over enrollees of their category\'s standard, by source', value: f('expected_<key>') },
  { id: 'collection_gap', zh: '到位差额', en: 'Collection gap', section: 'funding', unit: 'yuan', countyOnly: true, keys: FUND_SOURCE.codes, needsPolicy: true, formula: 'expected − received, per source', value: '{expected_<key>} - {funds_<key>}' },
  {
    id: 'collection_rate', zh: '资金到位率', en: 'Collection rate', section: 'funding', unit: 'rate', countyOnly: true, keys: [...FUND_SOURCE.codes, 'total'], needsPolicy: true,
    formula: 'received ÷ expected, per source and in total', numerator: f('funds_<key>'), denominator: f('expected_<key>'),
  },
  {
    id: 'allocated_funds', zh: '分摊统筹基金', en: 'Allocated pooled funds', section: 'funding', unit: 'yuan',
    formula: 'the county\'s pooled_funds × the unit\'s enrollees ÷ the county\'s enrollees, half up to the fen (the county row: its pooled_funds)', value: ALLOCATED_FUNDS,
  },
  {
    id: 'allocated_utilization', zh: '分摊基金使用率', en: 'Use of allocated funds', section: 'funding', unit: 'rate',
    formula: 'the unit\'s pooled_payouts ÷ allocated_funds (at county grain equal to fund_utilization)', numerator: f('pooled_payouts'), denominator: ALLOCATED_FUNDS,
  },
  // 补偿
  { id: 'inpatient_stays', facility: true, monthly: true, zh: '住院人次', en: 'Inpatient stays', section: 'payouts', unit: 'count', formula: 'count of inpatient claims', value: f('inpatient_stays') },
  { id: 'inpatient_rate', zh: '住院率', en: 'Inpatient rate', section: 'payouts', unit: 'rate', formula: 'inpatient_stays ÷ enrollees', numerator: f('inpatient_stays'), denominator: f('enrollees') },
  { id: 'inpatient_cost', facility: true, monthly: true, zh: '住院总费用', en: 'Inpatient cost', section: 'payouts', unit: 'yuan', formula: 'Σ total_cost of inpatient claims', value: f('inpatient_cost') },
  { id: 'inpatient_eligible_cost', monthly: true, zh: '政策范围内费用', en: 'Inpatient eligible cost', section: 'payouts', unit: 'yuan', formula: 'Σ eligible_cost of inpatient claims', value: f('inpatient_eligible_cost') },
  { id: 'inpatient_payout', facility: true, monthly: true, zh: '住院补偿', en: 'Inpatient payout', section: 'payouts', unit: 'yuan', formula: 'Σ reimbursed of inpatient claims (as settled)', value: f('inpatient_payout') },
  { id: 'inpatient_actual_ratio', facility: true, monthly: true, zh: '住院实际补偿比', en: 'Inpatient compensation ratio', section: 'payouts', unit: 'rate', formula: 'inpatient_payout ÷ inpatient_cost', numerator: f('inpatient_payout'), denominator: f('inpatient_cost') },
  { id: 'inpatient_eligible_ratio', facility: true, monthly: true, zh: '政策范围内住院补偿比', en: 'Inpatient ratio within policy', section: 'payouts', unit: 'rate', formula: 'inpatient_payout ÷ inpatient_eligible_cost', numerator: f('inpatient_payout'), denominator: f('inpatient_eligible_cost') },
  { id: 'avg_inpatient_cost', facility: true, monthly: true, zh: '次均住院费用', en: 'Cost per stay', section: 'payouts', unit: 'yuan', formula: 'inpatient_cost ÷ inpatient_stays (to the fen, half up)', numerator: f('inpatient_cost'), denominator: f('inpatient_stays') },
  { id: 'avg_inpatient_payout', monthly: true, zh: '次均住院补偿', en: 'Payout per stay', section: 'payouts', unit: 'yuan', formula: 'inpatient_payout ÷ inpatient_stays (to the fen, half up)', numerator: f('inpatient_payout'), denominator: f('inpatient_stays') },
  { id: 'avg_length_of_stay', facility: true, monthly: true, zh: '平均住院日', en: 'Average length of stay', section: 'payouts', unit: 'days', formula: 'Σ (discharge − admission, at least 1 day) ÷ inpatient_stays', numerator: f('stay_days'), denominator: f('inpatient_stays') },
  { id: 'outpatient_visits', facility: true, monthly: true, zh: '门诊人次', en: 'Outpatient visits', section: 'payouts', unit: 'count', formula: 'count of outpatient claims', value: f('outpatient_visits') },
  { id: 'outpatient_payout', facility: true, monthly: true, zh: '门诊补偿', en: 'Outpatient payout', section: 'payouts', unit: 'yuan', formula: 'Σ reimbursed of outpatient claims', value: f('outpatient_payout') },
  { id: 'outpatient_ratio', monthly: true, zh: '门诊补偿比', en: 'Outpatient compensation ratio', section: 'payouts', unit: 'rate', formula: 'outpatient_payout ÷ Σ outpatient total_cost', numerator: f('outpatient_payout'), denominator: f('outpatient_cost') },
  { id: 'beneficiaries', zh: '受益人数', en: 'Beneficiaries', section: 'payouts', unit: 'people', formula: 'distinct persons with reimbursed > 0', value: f('beneficiaries') },
  { id: 'beneficiary_rate', zh: '受益率', en: 'Beneficiary rate', section: 'payouts', unit: 'rate', formula: 'beneficiaries ÷ enrollees', numerator: f('beneficiaries'), denominator: f('enrollees') },
  { id: 'drug_share', facility: true, zh: '药占比', en: 'Drug share', section: 'payouts', unit: 'rate', formula: 'Σ drug_cost ÷ Σ total_cost over inpatient claims with a known drug_cost', numerator: f('inpatient_drug_cost'), denominator: f('inpatient_drug_base') },
  { id: 'in_county_rate', zh: '县域内住院率', en: 'In-county stays', section: 'payouts', unit: 'rate', formula: 'stays at facilities with in_county = true ÷ inpatient_stays', numerator: f('in_county_stays'), denominator: f('inpatient_stays') },
  { id: 'referral_rate', zh: '县外住院转诊率', en: 'Referral rate', section: 'payouts', unit: 'rate', formula: 'out-of-county stays with a referral ÷ out-of-county stays', numerator: f('referred_out_of_county_stays'), denominator: f('out_of_county_stays') },
  {
    id: 'payout_by_level', zh: '分级别补偿', en: 'Payout by facility level', section: 'payouts', unit: 'yuan',
    keys: PAYOUT_LEVEL.codes.flatMap((l) => [`${l}_payout`, `${l}_stays`]), formula: 'inpatient payout and stays per facility level', value: f('level_<key>'),
  },
  {
    id: 'large_payouts', zh: '大额补偿', en: 'Large payouts (persons)', section: 'payouts', unit: 'people',
    keys: [...LARGE_PAYOUT_THRESHOLDS.map(thresholdKey), 'at_cap'], thresholdKeys: ['at_cap'],
    formula: 'persons whose year inpatient payout (single-disease included) is ≥ each of the policy\'s large_payout_thresholds (default 2,000 / 5,000 / 10,000 元), and ≥ the annual cap',
    value: f('large_<key>'),
  },
  { id: 'payouts_total', monthly: true, zh: '基金支出', en: 'Fund spending', section: 'payouts', unit: 'yuan', formula: 'Σ reimbursed over the year\'s claims of enrollees', value: f('payouts_total') },
  // 基金 (the pool, county only, but pooled_payouts at every grain: the allocation reads it)
  {
    id: 'family_account_funds', zh: '家庭账户资金', en: 'Household account funds', section: 'fund', unit: 'yuan', countyOnly: true,
    formula: 'family_account_per_capita × enrollees under household accounts; 0 otherwise', value: f('family_account_funds'),
  },
  {
    id: 'pooled_funds', zh: '统筹基金筹资', en: 'Pooled funds', section: 'fund', unit: 'yuan', countyOnly: true,
    formula: 'funds_raised − family_account_funds (+ a household-account balance returned to the pool)', value: POOLED_FUNDS,
  },
  {
    id: 'family_account_payouts', zh: '家庭账户支出', en: 'Household account payouts', section: 'fund', unit: 'yuan', countyOnly: true, monthly: true,
    formula: 'Σ reimbursed of outpatient claims in a year whose policy uses household accounts; 0 otherwise', value: f('family_account_payouts'),
  },
  { id: 'pooled_payouts', zh: '统筹基金支出', en: 'Pooled payouts', section: 'fund', unit: 'yuan', monthly: true, formula: 'payouts_total − family_account_payouts (every grain)', value: f('pooled_payouts') },
  {
    id: 'family_account_balance', zh: '家庭账户结余', en: 'Household account balance', section: 'fund', unit: 'yuan', countyOnly: true,
    formula: 'Σ over households of (opening − settled household-account payouts); opening = per-capita share × members + last year\'s closing',
    value: f('family_account_balance'),
  },
  // 基金
  { id: 'fund_utilization', zh: '统筹基金使用率', en: 'Pooled fund utilisation', section: 'fund', unit: 'rate', countyOnly: true, formula: 'pooled_payouts ÷ pooled_funds', numerator: f('pooled_payouts'), denominator: POOLED_FUNDS },
  {
    id: 'surplus_rate', zh: '统筹基金当年结余率', en: 'Pooled surplus rate', section: 'fund', unit: 'rate', countyOnly: true,
    formula: '(pooled_funds − pooled_payouts) ÷ pooled_funds', numerator: `${POOLED_FUNDS} - {pooled_payouts}`, denominator: POOLED_FUNDS,
  },
  {
    id: 'cumulative_surplus', zh: '统筹基金累计结余', en: 'Pooled cumulative surplus', section: 'fund', unit: 'yuan', countyOnly: true,
    formula: 'opening balance + Σ over years ≤ Y of (all ledger income − family_account_funds − pooled_payouts)', value: CUMULATIVE_SURPLUS,
  },
  { id: 'cumulative_surplus_share', zh: '累计结余占当年筹资比', en: 'Cumulative surplus ÷ pooled funds', section: 'fund', unit: 'rate', countyOnly: true, formula: 'cumulative_surplus ÷ pooled_funds', numerator: CUMULATIVE_SURPLUS, denominator: POOLED_FUNDS },
  {
    id: 'cumulative_surplus_months', zh: '累计结余可支付月数', en: 'Cumulative surplus in months of spending', section: 'fund', unit: 'months', countyOnly: true,
    formula: 'cumulative_surplus ÷ (pooled_payouts ÷ m)', numerator: `${CUMULATIVE_SURPLUS} * {months}`, denominator: f('pooled_payouts'),
  },
  {
    id: 'projected_year_end', zh: '年末预计结余', en: 'Projected year-end balance', section: 'fund', unit: 'yuan', countyOnly: true,
    formula: 'pooled_funds − pooled payouts to date × 12 ÷ m (m = month of the latest discharge; 12 once the year is over)', value: PROJECTED_YEAR_END,
  },
  { id: 'warnings', zh: '预警', en: 'Warnings', section: 'fund', unit: 'codes', needsPolicy: true, countyOnly: true, formula: 'the codes of WARNINGS whose condition holds' },
  // 商保经办结算 (county only, when the year's policy has an insurer)
  {
    id: 'insurer_premium', zh: '合作标的', en: 'Insurer premium', section: 'insurer', unit: 'yuan', countyOnly: true, needsPolicy: true,
    formula: 'insurer.per_capita_target × enrollees', value: '$insurer_premium',
  },
  {
    id: 'insurer_result', zh: '结余(+)/赤字(−)', en: 'Result against the premium', section: 'insurer', unit: 'yuan', countyOnly: true, needsPolicy: true,
    formula: 'insurer_premium − pooled_payouts', value: '$insurer_premium - {pooled_payouts}',
  },
  {
    id: 'insurer_share', zh: '商保奖励(+)/承担(−)', en: 'Insurer reward (+) or liability (−)', section: 'insurer', unit: 'yuan', countyOnly: true, needsPolicy: true,
    formula: 'sign(result) × Σ bands shareᵢ × max(0, min(|result|, upToᵢ, L) − lowerᵢ), L = limit_share_of_premium × premium, magnitude half up to the fen (分段计算，累计支付)',
    value: '$insurer_share',
  },
  {
    id: 'fund_share_of_result', zh: '基金承担/留存', en: 'Fund\'s part of the result', section: 'insurer', unit: 'yuan', countyOnly: true, needsPolicy: true,
    formula: 'insurer_result − insurer_share', value: '$insurer_premium - {pooled_payouts} - $insurer_share',
  },
  {
    id: 'insurer_final', zh: '年终清算', en: 'Year-end settlement', section: 'insurer', unit: 'yuan', countyOnly: true, needsPolicy: true,
    formula: 'insurer_share − presettled_to_date of December in the monthly pre-settlement (insurer_monthly): what the year-end settlement still pays (+) or claws back (−)', value: '$insurer_share - $insurer_presettled',
  },
  {
    id: 'insurer_monthly', zh: '按月预结', en: 'Monthly pre-settlement', section: 'insurer', unit: 'yuan', series: true, needsPolicy: true,
    formula: 'cumulative per month: premium paid = premium ÷ 12 in month 1, then + each month\'s pooled payouts, never above the premium; pooled payouts to date; balance; presettle_share × balance from month 2 on, never beyond ± limit_share_of_premium × premium paid (--series insurer)',
    computedBy: 'insurer',
  },
  // 审核
  { id: 'expected_payout', zh: '应补偿金额', en: 'Expected payout', section: 'audit', unit: 'yuan', perClaim: true, needsPolicy: true, formula: 'per claim, by the policy engine' },
  { id: 'difference', zh: '差额', en: 'Difference', section: 'audit', unit: 'yuan', perClaim: true, needsPolicy: true, formula: 'per claim, reimbursed − expected_payout (exact, multiples of 0.01)' },
  {
    id: 'underpaid', zh: '少付', en: 'Underpaid', section: 'audit', unit: 'yuan', keys: ['count', 'amount'], needsPolicy: true,
    formula: 'claims with difference ≤ −0.01: count, and −Σ difference (refund due to patients)', value: f('audit_underpaid_<key>'),
  },
  {
    id: 'overpaid', zh: '多付', en: 'Overpaid', section: 'audit', unit: 'yuan', keys: ['count', 'amount'], needsPolicy: true,
    formula: 'claims with difference ≥ 0.01: count and Σ difference', value: f('audit_overpaid_<key>'),
  },
  {
    id: 'non_enrolled_claims', zh: '非参合人员报销', en: 'Claims of non-enrolled persons', section: 'audit', unit: 'yuan', keys: ['count', 'amount'], countyOnly: true,
    formula: 'claims whose person is not enrolled that year (any reimbursement is irregular); county only', value: f('non_enrolled_<key>'),
  },
  {
    id: 'drug_share_breaches', zh: '药占比超标', en: 'Drug-share breaches', section: 'audit', unit: 'count', needsPolicy: true,
    formula: 'facility × discharge-month groups (all visits, known drug cost) whose drug share is strictly above max_drug_share; county only',
    value: f('drug_share_breaches'),
  },
  // 公平
  {
    id: 'township_gini', zh: '乡镇间基尼系数', en: 'Gini between units', section: 'equity', unit: 'ratio', computedBy: 'equity',
    keys: ['participation_rate', 'payout_per_enrollee'],
    formula: 'Σᵢ Σⱼ wᵢ wⱼ |xᵢ − xⱼ| ÷ (2 W² μ) over the units one level down (county: townships; township: villages); w = agricultural population for participation, enrollees for payout per enrollee',
  },
  {
    id: 'township_range', zh: '极差 / 极值比', en: 'Range and max/min ratio', section: 'equity', unit: 'rate', computedBy: 'equity',
    keys: ['participation_rate_range', 'participation_rate_ratio', 'payout_per_enrollee_range', 'payout_per_enrollee_ratio'],
    // the range of participation rates is a rate; the range of payouts per enrollee is money; max ÷ min is a ratio
    keyUnits: { participation_rate_ratio: 'ratio', payout_per_enrollee_range: 'yuan', payout_per_enrollee_ratio: 'ratio' },
    formula: 'max − min and max ÷ min over the units one level down',
  },
  {
    id: 'concentration_index', zh: '补偿集中指数', en: 'Concentration index of payouts', section: 'equity', unit: 'ratio', computedBy: 'equity',
    formula: '2 · cov_w(payout per enrollee, weighted fractional income rank) ÷ μ over the unit\'s villages, weights = enrollees; negative = pro-poor',
  },
  {
    id: 'subsidized_gap', zh: '资助人群补偿差', en: 'Subsidised − general compensation ratio', section: 'equity', unit: 'rate',
    formula: 'inpatient_eligible_ratio(subsidised enrollees) − inpatient_eligible_ratio(general enrollees)',
    value: `${rateOf(f('subsidized_inpatient_payout'), f('subsidized_inpatient_eligible_cost'))} - ${rateOf(f('general_inpatient_payout'), f('general_inpatient_eligible_cost'))}`,
  },
  {
    id: 'catastrophic_rate', zh: '灾难性医疗支出发生率', en: 'Catastrophic expenditure rate', section: 'equity', unit: 'rate',
    formula: 'persons whose year out-of-pocket (Σ total_cost − reimbursed) ≥ 40 % of their village\'s per-capita net income ÷ enrollees of census villages (an enrolee outside the census is in neither count)',
    numerator: f('catastrophic_persons'), denominator: f('census_enrollees'),
  },
  {
    id: 'lorenz', zh: '洛伦兹曲线', en: 'Lorenz curve of payouts', section: 'equity', unit: 'rate', computedBy: 'equity', series: true,
    formula: 'cumulative share of payouts vs cumulative share of enrollees, villages ranked by payout per enrollee',
  },
  // 医疗机构监管 (facility grain only)
  { id: 'inpatient_persons', facilityOnly: true, zh: '住院人数', en: 'Inpatients (persons)', section: 'facility', unit: 'people', formula: 'distinct persons with an inpatient stay', value: f('inpatient_persons') },
  {
    id: 'stays_per_person', facilityOnly: true, zh: '人次人头比', en: 'Stays per person', section: 'facility', unit: 'ratio',
    formula: 'inpatient_stays ÷ inpatient_persons', numerator: f('inpatient_stays'), denominator: f('inpatient_persons'),
  },
  {
    id: 'readmissions_15d', facilityOnly: true, zh: '15日内再入院', en: 'Readmissions within 15 days', section: 'facility', unit: 'count',
    formula: 'stays admitted 0–15 days after the discharge of the same person\'s previous stay at the facility (in order of admission date, then claim_id; the previous stay may be last year\'s)',
    value: f('readmissions_15d'),
  },
  {
    id: 'out_of_catalogue_share', facilityOnly: true, zh: '目录外费用占比', en: 'Out-of-catalogue share', section: 'facility', unit: 'rate',
    formula: '(inpatient_cost − inpatient_eligible_cost) ÷ inpatient_cost', numerator: '{inpatient_cost} - {inpatient_eligible_cost}', denominator: f('inpatient_cost'),
  },
  {
    id: 'payout_share', facilityOnly: true, zh: '占全县补偿比', en: 'Share of the county\'s payouts', section: 'facility', unit: 'rate',
    formula: 'the facility\'s payouts_total ÷ the county\'s', numerator: f('payouts_total'), denominator: f('county_payouts_total'),
  },
  {
    id: 'audit_underpaid', facilityOnly: true, zh: '少付', en: 'Underpaid (refund to patients)', section: 'facility', unit: 'yuan', keys: ['count', 'amount'], needsPolicy: true,
    formula: 'the facility\'s claims paid at least 0.01 元 less than the policy gives: count, and what it must refund to patients', value: f('audit_underpaid_<key>'),
  },
  {
    id: 'audit_overpaid', facilityOnly: true, zh: '多付', en: 'Overpaid (recovered from the facility)', section: 'facility', unit: 'yuan', keys: ['count', 'amount'], needsPolicy: true,
    formula: 'the facility\'s claims paid at least 0.01 元 more than the policy gives: count, and what the fund recovers (扣回)', value: f('audit_overpaid_<key>'),
  },
  {
    id: 'drug_share_breach_months', facilityOnly: true, zh: '药占比超标月数', en: 'Months above the drug-share limit', section: 'facility', unit: 'count', needsPolicy: true,
    formula: 'months whose discharged inpatients\' drug share is strictly above max_drug_share', value: f('drug_share_breach_months'),
  },
  // 增长与连续参合 (every grain; previous year = Y − 1 only, empty when it has no data of the kind)
  {
    id: 'enrollees_growth', zh: '参合人数增幅', en: 'Growth of enrolment', section: 'growth', unit: 'rate',
    formula: 'enrollees ÷ previous year\'s − 1', value: `${rateOf(f('enrollees'), f('last_year_enrollees'))} - 1`,
  },
  {
    id: 'renewal_rate', zh: '续保率', en: 'Renewal rate', section: 'growth', unit: 'rate',
    formula: 'persons enrolled in Y − 1 in the unit who are enrolled anywhere in the county in Y ÷ persons enrolled in Y − 1 in the unit',
    numerator: f('renewed_enrollees'), denominator: f('last_year_enrollees'),
  },
  { id: 'new_enrollees', zh: '新增参合', en: 'New enrollees', section: 'growth', unit: 'people', formula: 'enrolled in the unit in Y and nowhere in the county in Y − 1', value: f('new_enrollees') },
  {
    id: 'dropped_enrollees', zh: '未续保', en: 'Enrollees not renewed', section: 'growth', unit: 'people',
    formula: 'enrolled in the unit in Y − 1 and nowhere in the county in Y', value: '{last_year_enrollees} - {renewed_enrollees}',
  },
  {
    id: 'inpatient_rate_growth', zh: '住院率增幅', en: 'Growth of the inpatient rate', section: 'growth', unit: 'rate',
    formula: 'inpatient_rate ÷ previous year\'s − 1', value: `${rateOf('{inpatient_stays} * {prev_enrollees}', '{enrollees} * {prev_inpatient_stays}')} - 1`,
  },
  {
    id: 'avg_inpatient_cost_growth', facility: true, zh: '次均住院费用增幅', en: 'Growth of cost per stay', section: 'growth', unit: 'rate',
    formula: 'avg_inpatient_cost ÷ previous year\'s − 1 (on the exact ratios)', value: `${rateOf('{inpatient_cost} * {prev_inpatient_stays}', '{inpatient_stays} * {prev_inpatient_cost}')} - 1`,
  },
  {
    id: 'eligible_cost_per_capita_growth', zh: '医保范围费用增长率', en: 'Growth of eligible cost per enrollee', section: 'growth', unit: 'rate',
    formula: '(eligible cost of the pooled claims — inpatient, single-disease and ratio-mode outpatient — ÷ enrollees) ÷ previous year\'s − 1',
    value: `${rateOf('{pooled_eligible_cost} * {prev_enrollees}', '{enrollees} * {prev_pooled_eligible_cost}')} - 1`,
  },
];

/**
 * When a fund warning is raised: an indicator compared with 0 or with a policy target
 * (`negate`: with minus the target). A ratio is compared exactly (numerator against
 * target × denominator); a warning whose indicator or target is empty is not raised.
 */
export interface WarningCondition {
  indicator: string;
  op: '<' | '>';
  than: number | { target: 'max_surplus_rate' | 'max_cumulative_surplus_share' | 'max_cumulative_surplus_months' | 'deficit_warning'; negate?: boolean };
}

export interface Warning {
  code: 'surplus_negative' | 'surplus_high' | 'cumulative_high' | 'projected_deficit';
  anyOf: readonly WarningCondition[];
  /** A limit on the whole year: judged only once the year's data is complete (m = 12). */
  wholeYear?: boolean;
}

export const WARNINGS: readonly Warning[] = [
  { code: 'surplus_negative', anyOf: [{ indicator: 'surplus_rate', op: '<', than: 0 }] },
  { code: 'surplus_high', wholeYear: true, anyOf: [{ indicator: 'surplus_rate', op: '>', than: { target: 'max_surplus_rate' } }] },
  {
    code: 'cumulative_high',
    wholeYear: true,
    anyOf: [
      { indicator: 'cumulative_surplus_share', op: '>', than: { target: 'max_cumulative_surplus_share' } },
      { indicator: 'cumulative_surplus_months', op: '>', than: { target: 'max_cumulative_surplus_months' } },
    ],
  },
  { code: 'projected_deficit', anyOf: [{ indicator: 'projected_year_end', op: '<', than: { target: 'deficit_warning', negate: true } }] },
];

/** Key columns that come before the indicators in every table, with their Chinese headers. */
export const KEY_COLUMNS = {
  year: '年度', level: '级别', division_code: '区划代码', name: '名称', month: '月份', period: '期间', day: '报告日',
  facility_code: '机构编码', facility_level: '机构级别', in_county: '县内', designated: '定点',
} as const;

export function indicatorById(id: string): Indicator | undefined {
  return INDICATORS.find((i) => i.id === id);
}

/**
 * The unit of one column: the key's own when the family names one; a family's `*_stays`, `claims`
 * and `count` keys are counts, whatever the family's unit.
 */
export function unitOf(indicator: Indicator, key?: string): Unit {
  if (key && indicator.keyUnits?.[key]) return indicator.keyUnits[key];
  return key?.endsWith('_stays') || key === 'claims' || key === 'count' ? 'count' : indicator.unit;
}

export interface IndicatorColumn {
  column: string;
  indicator: Indicator;
  key?: string;
}

/** A family's keys; those that follow the policy's thresholds take `thresholds` (default: the default ones). */
export function familyKeys(i: Indicator, thresholds?: readonly number[]): readonly string[] | undefined {
  if (i.thresholdKeys && thresholds) return [...thresholds.map(thresholdKey), ...i.thresholdKeys];
  return i.keys;
}

/** The indicators of townships, villages and the county; of facilities. */
export const UNIT_INDICATORS: readonly Indicator[] = INDICATORS.filter((i) => !i.facilityOnly);
export const FACILITY_INDICATORS: readonly Indicator[] = INDICATORS.filter((i) => i.facility || i.facilityOnly);

/** Key columns of a facility row (spec: facility grain), before its indicators. */
export const FACILITY_KEY_COLUMNS = ['year', 'level', 'facility_code', 'name', 'facility_level', 'in_county', 'designated'] as const;

/**
 * Output columns in catalogue order: scalars by id, families flattened to `<id>_<key>`. The
 * large-payout columns follow `thresholds` (a year's policy's), the default ones without.
 */
export function indicatorColumns(list: readonly Indicator[] = UNIT_INDICATORS, thresholds?: readonly number[]): IndicatorColumn[] {
  return list
    .filter((i) => !i.series && !i.perClaim)
    .flatMap((i) => {
      const keys = familyKeys(i, thresholds);
      return keys ? keys.map((k) => ({ column: `${i.id}_${k}`, indicator: i, key: k })) : [{ column: i.id, indicator: i }];
    });
}

/** The catalogue column an output column name stands for, thresholds of any policy included. */
export function columnByName(column: string): IndicatorColumn | undefined {
  const fixed = DEFAULT_COLUMNS.get(column);
  if (fixed) return fixed;
  for (const i of INDICATORS) {
    if (!i.thresholdKeys || !column.startsWith(`${i.id}_`)) continue;
    const key = column.slice(i.id.length + 1);
    if (/^ge_[1-9]\d*$/.test(key)) return { column, indicator: i, key };
  }
  return undefined;
}
const DEFAULT_COLUMNS = new Map<string, IndicatorColumn>([...indicatorColumns(), ...indicatorColumns(FACILITY_INDICATORS)].map((c) => [c.column, c]));

/** The Chinese header of a column: `分来源筹资（中央补助）` for a family key. */
export function columnLabel(c: IndicatorColumn, keyLabel: (key: string) => string = (k) => k): string {
  return c.key === undefined ? c.indicator.zh : `${c.indicator.zh}（${keyLabel(c.key)}）`;
}

export type { Grain };
