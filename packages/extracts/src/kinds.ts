/**
 * The five extract kinds of spec/extracts.md as data: columns, Chinese aliases,
 * types and rules. The validate stage compiles these into SQL; the generator and
 * the docs read them too, so a column is described exactly once. The codes and their
 * spellings (levels, categories, ledger categories) come from the rules' vocabulary.
 */
import { CATEGORY, FACILITY_LEVEL, FACILITY_TYPE, FUND_SOURCE, LEDGER_SPENDING, OTHER_INCOME, VISIT_TYPE } from '@ncms/rules';

export type KindName = 'census' | 'facilities' | 'enrollment' | 'his' | 'ledger';

/** Load order fixed by the spec: references point backwards in this list. */
export const KIND_ORDER: readonly KindName[] = ['census', 'facilities', 'enrollment', 'his', 'ledger'];

export type ColumnType =
  | { t: 'int'; min?: number }
  | { t: 'text' }
  | { t: 'division'; digits: readonly (9 | 12)[] }
  | { t: 'person_id' }
  | { t: 'date' }
  | { t: 'amount'; min?: 'ge0' | 'gt0'; signed?: boolean }
  | { t: 'bool' }
  | { t: 'enum'; values: Readonly<Record<string, readonly string[]>> };

export interface ColumnSpec {
  name: string;
  aliases: readonly string[];
  type: ColumnType;
  required?: boolean;
  /** SQL expression used when the cell is empty (after parsing other columns is not available). */
  defaultSql?: string;
  /** Holds personal data: never shown unmasked outside personal-data views. */
  personal?: boolean;
}

/** A rule across columns of one row, written over parsed values (`p.<column>`). */
export interface RowRule {
  column: string;
  /** SQL boolean that is TRUE when the row breaks the rule (NULLs mean "not applicable"). */
  failsWhen: string;
  reason: string;
}

export interface KindSpec {
  kind: KindName;
  title: string;
  key: readonly string[];
  columns: readonly ColumnSpec[];
  rules: readonly RowRule[];
  /**
   * Values stored beside the columns, computed from final values `v.<column>`;
   * a name equal to a column replaces that column's stored value.
   */
  computed?: readonly { name: string; sql: string }[];
  /**
   * Columns that say whose key it is (the roll's name and household for an ID number): rows that
   * share the key but differ in one of these are an ID conflict (身份证号冲突), not a duplicate, and
   * none of them loads. Personal columns are masked in the reason.
   */
  holder?: readonly { column: string; zh: string; personal?: boolean }[];
  /** Columns that may stand in for a missing one, summed (his drug_cost from its parts). */
  derived?: { column: string; fromAny: readonly ColumnSpec[] };
}

const LEVELS = FACILITY_LEVEL.spellings();

export const census: KindSpec = {
  kind: 'census',
  title: '统计人口',
  key: ['year', 'division_code'],
  columns: [
    { name: 'year', aliases: ['年度'], type: { t: 'int', min: 1990 }, required: true },
    { name: 'division_code', aliases: ['区划代码'], type: { t: 'division', digits: [12] }, required: true },
    { name: 'township_name', aliases: ['乡镇'], type: { t: 'text' }, required: true },
    { name: 'village_name', aliases: ['村', '行政村'], type: { t: 'text' }, required: true },
    { name: 'households', aliases: ['户数'], type: { t: 'int', min: 0 } },
    { name: 'population', aliases: ['总人口'], type: { t: 'int', min: 0 } },
    { name: 'agricultural_population', aliases: ['农业人口'], type: { t: 'int', min: 0 }, required: true },
    { name: 'per_capita_net_income', aliases: ['农民人均纯收入'], type: { t: 'amount', min: 'ge0' } },
  ],
  rules: [
    {
      column: 'agricultural_population',
      failsWhen: 'p.agricultural_population > p.population',
      reason: '农业人口大于总人口 (agricultural_population exceeds population)',
    },
  ],
};

export const facilities: KindSpec = {
  kind: 'facilities',
  title: '定点医疗机构目录',
  key: ['facility_code'],
  columns: [
    { name: 'facility_code', aliases: ['机构编码', '定点机构编码'], type: { t: 'text' }, required: true },
    { name: 'facility_name', aliases: ['机构名称'], type: { t: 'text' }, required: true },
    { name: 'level', aliases: ['机构级别'], type: { t: 'enum', values: LEVELS } },
    { name: 'in_county', aliases: ['县内', '是否县内'], type: { t: 'bool' }, required: true },
    { name: 'designated', aliases: ['定点', '是否定点'], type: { t: 'bool' }, defaultSql: 'true' },
    { name: 'division_code', aliases: ['所在区划'], type: { t: 'division', digits: [9, 12] } },
    { name: 'facility_type', aliases: ['机构类别', '机构类型'], type: { t: 'enum', values: FACILITY_TYPE.spellings() } },
  ],
  // Without a type, a township-level facility is its township centre, anything else a general hospital.
  computed: [{ name: 'facility_type', sql: "coalesce(v.facility_type, CASE WHEN v.level = 'township' THEN 'township_center' ELSE 'general' END)" }],
  rules: [],
};

export const enrollment: KindSpec = {
  kind: 'enrollment',
  title: '参合花名册',
  key: ['year', 'person_id'],
  columns: [
    { name: 'year', aliases: ['年度', '参合年度'], type: { t: 'int', min: 1990 }, required: true },
    { name: 'person_id', aliases: ['身份证号', '公民身份号码'], type: { t: 'person_id' }, required: true, personal: true },
    { name: 'name', aliases: ['姓名'], type: { t: 'text' }, required: true, personal: true },
    { name: 'household_id', aliases: ['户号', '家庭编号'], type: { t: 'text' }, required: true },
    { name: 'division_code', aliases: ['区划代码'], type: { t: 'division', digits: [12] }, required: true },
    {
      name: 'category',
      aliases: ['参合类别', '人员类别'],
      type: {
        t: 'enum',
        values: CATEGORY.spellings(),
      },
      defaultSql: "'general'",
    },
    { name: 'individual_paid', aliases: ['个人缴费'], type: { t: 'amount', min: 'ge0' } },
    { name: 'subsidy_paid', aliases: ['资助金额', '代缴金额'], type: { t: 'amount', min: 'ge0' } },
    { name: 'receipt_no', aliases: ['票据号'], type: { t: 'text' } },
    { name: 'enrolled_on', aliases: ['缴费日期', '参合日期'], type: { t: 'date' } },
  ],
  holder: [{ column: 'name', zh: '姓名', personal: true }, { column: 'household_id', zh: '户号' }],
  rules: [],
};

const drugParts: ColumnSpec[] = [
  { name: 'western_drug_cost', aliases: ['西药费'], type: { t: 'amount', min: 'ge0' } },
  { name: 'patent_drug_cost', aliases: ['中成药费'], type: { t: 'amount', min: 'ge0' } },
  { name: 'herbal_drug_cost', aliases: ['中草药费'], type: { t: 'amount', min: 'ge0' } },
];

export const his: KindSpec = {
  kind: 'his',
  title: '住院/门诊结算',
  key: ['claim_id'],
  columns: [
    { name: 'claim_id', aliases: ['结算单号', '结算流水号'], type: { t: 'text' }, required: true },
    { name: 'person_id', aliases: ['身份证号'], type: { t: 'person_id' }, required: true, personal: true },
    { name: 'name', aliases: ['姓名'], type: { t: 'text' }, personal: true },
    { name: 'facility_code', aliases: ['机构编码'], type: { t: 'text' }, required: true },
    {
      name: 'visit_type',
      aliases: ['就诊类型', '医疗类别'],
      type: { t: 'enum', values: VISIT_TYPE.spellings() },
      required: true,
    },
    { name: 'admission_date', aliases: ['入院日期', '就诊日期'], type: { t: 'date' }, required: true },
    { name: 'discharge_date', aliases: ['出院日期', '结算日期'], type: { t: 'date' } },
    { name: 'diagnosis_code', aliases: ['主要诊断编码', '疾病编码'], type: { t: 'text' } },
    { name: 'diagnosis_name', aliases: ['主要诊断', '疾病名称'], type: { t: 'text' } },
    { name: 'total_cost', aliases: ['总费用', '医疗总费用'], type: { t: 'amount', min: 'ge0' }, required: true },
    { name: 'drug_cost', aliases: ['药品费', '药费'], type: { t: 'amount', min: 'ge0' } },
    { name: 'eligible_cost', aliases: ['政策范围内费用', '可报费用'], type: { t: 'amount', min: 'ge0' }, defaultSql: 'p.total_cost' },
    { name: 'reimbursed', aliases: ['统筹支付', '报销金额', '补偿金额'], type: { t: 'amount', min: 'ge0' }, required: true },
    { name: 'referral', aliases: ['转诊', '是否转诊'], type: { t: 'bool' }, defaultSql: 'false' },
    { name: 'single_disease_code', aliases: ['单病种编码'], type: { t: 'text' } },
  ],
  derived: { column: 'drug_cost', fromAny: drugParts },
  computed: [
    // Outpatient visits carry one date; the scheme year follows the discharge (or visit) date.
    { name: 'discharge_date', sql: 'coalesce(v.discharge_date, v.admission_date)' },
    { name: 'scheme_year', sql: 'year(coalesce(v.discharge_date, v.admission_date))' },
  ],
  rules: [
    {
      column: 'discharge_date',
      failsWhen: "p.visit_type = 'inpatient' AND p.discharge_date IS NULL",
      reason: '住院结算缺少出院日期 (discharge_date is required for inpatient claims)',
    },
    {
      column: 'discharge_date',
      failsWhen: 'p.discharge_date < p.admission_date',
      reason: '出院日期早于入院日期 (discharge_date is before admission_date)',
    },
    { column: 'drug_cost', failsWhen: 'p.drug_cost > p.total_cost', reason: '药品费大于总费用 (drug_cost exceeds total_cost)' },
    {
      column: 'eligible_cost',
      failsWhen: 'p.eligible_cost > p.total_cost',
      reason: '政策范围内费用大于总费用 (eligible_cost exceeds total_cost)',
    },
    { column: 'reimbursed', failsWhen: 'p.reimbursed > p.total_cost', reason: '报销金额大于总费用 (reimbursed exceeds total_cost)' },
  ],
};

// Income and spending share the category "other" (其他收入 / 其他支出): the direction tells them apart.
const { other: otherIn, ...LEDGER_IN } = { ...FUND_SOURCE.spellings(), ...OTHER_INCOME.spellings() };
const { other: otherOut, ...LEDGER_OUT } = LEDGER_SPENDING.spellings();
const LEDGER_OTHER = [...new Set([...otherIn, ...otherOut])];

export const ledger: KindSpec = {
  kind: 'ledger',
  title: '基金收支明细',
  key: ['entry_id'],
  columns: [
    { name: 'entry_id', aliases: ['凭证号', '流水号'], type: { t: 'text' }, required: true },
    { name: 'date', aliases: ['日期', '记账日期'], type: { t: 'date' }, required: true },
    { name: 'year', aliases: ['所属年度', '年度'], type: { t: 'int', min: 1990 }, defaultSql: 'year(p.date)' },
    {
      name: 'direction',
      aliases: ['收支', '方向'],
      type: { t: 'enum', values: { in: ['in', '收入', '收'], out: ['out', '支出', '支'] } },
      required: true,
    },
    {
      name: 'category',
      aliases: ['科目', '类别'],
      // "other" exists on both sides (其他收入 / 其他支出); the direction tells them apart.
      type: { t: 'enum', values: { ...LEDGER_IN, ...LEDGER_OUT, other: LEDGER_OTHER } },
      required: true,
    },
    { name: 'amount', aliases: ['金额'], type: { t: 'amount', min: 'gt0' }, required: true },
    { name: 'division_code', aliases: ['区划代码'], type: { t: 'division', digits: [9, 12] } },
    { name: 'memo', aliases: ['摘要'], type: { t: 'text' } },
  ],
  rules: [
    {
      column: 'category',
      failsWhen: `(p.direction = 'in' AND p.category IN (${Object.keys(LEDGER_OUT).map((k) => `'${k}'`).join(', ')}))
        OR (p.direction = 'out' AND p.category IN (${Object.keys(LEDGER_IN).map((k) => `'${k}'`).join(', ')}))`,
      reason: '科目与收支方向不符 (category does not belong to this direction)',
    },
  ],
};

export const KINDS: Readonly<Record<KindName, KindSpec>> = { census, facilities, enrollment, his, ledger };

export function isKindName(s: string): s is KindName {
  return (KIND_ORDER as readonly string[]).includes(s);
}

/**
 * Claims as `ncms compensate` reads them (no database): the his columns with `reimbursed`
 * and `facility_code` optional, and the facility facts and household on the claim itself
 * when there is no facility registry at hand.
 */
export const claimsForCompensation: KindSpec = {
  ...his,
  columns: [
    ...his.columns.map((c) => (c.name === 'reimbursed' || c.name === 'facility_code' ? { ...c, required: false } : c)),
    { name: 'level', aliases: ['机构级别'], type: { t: 'enum', values: LEVELS } },
    { name: 'in_county', aliases: ['县内', '是否县内'], type: { t: 'bool' } },
    { name: 'designated', aliases: ['定点', '是否定点'], type: { t: 'bool' } },
    { name: 'household_id', aliases: ['户号', '家庭编号'], type: { t: 'text' } },
    { name: 'household_members', aliases: ['家庭人口', '参合人数'], type: { t: 'int', min: 1 } },
  ],
};
