/**
 * Chinese descriptions of the lake's columns, for the analyst's schema browser: an extract
 * column by its Chinese header (spec/extracts.md), an indicator column by the catalogue's label,
 * and the platform's own columns from the list below.
 */
import { census, enrollment, facilities, his, ledger, type KindSpec } from '@ncms/extracts';
import { chineseHeader } from '@ncms/rules';

const EXTRACT_OF: Record<string, KindSpec> = { census, enrollment, claims: his, analytics_claims: his, analytics_audit: his, ledger, facilities };

const OWN: Record<string, string> = {
  year: '年度（医保年度）',
  county: '县区划代码',
  person_key: '人员代号（身份证号的脱敏替代，同一人相同）',
  level: '层级（县、乡镇、村、医疗机构）；就诊表中为医疗机构级别',
  division_code: '区划代码',
  name: '名称或姓名（姓名已脱敏）',
  period_type: '期间类型（月、季）',
  period: '期间（YYYY-MM 或 YYYYQn）',
  scheme_year: '医保年度',
  discharge_date: '出院日期（门诊为就诊日期）',
  village_code: '村区划代码',
  category: '人员类别（一般、五保、低保…）',
  subsidized: '是否资助参合人员',
  household_id: '户编号',
  in_county: '是否县域内机构',
  designated: '是否定点机构',
  payout_level: '补偿档次（政策中的机构级别）',
  enrolled: '是否参合人员',
  expected_payout: '按政策应补偿金额（元）',
  expected_fen: '按政策应补偿（分）',
  raw_fen: '按政策计算、封顶前（分）',
  difference: '实付减应付（元）',
  findings: '审核发现',
  batch_id: '数据批次编号',
  loaded_at: '载入时间',
  file: '文件',
  rows: '行数',
};

export function describeColumn(table: string, column: string): string {
  const spec = EXTRACT_OF[table];
  const fromExtract = spec && [...spec.columns, ...(spec.derived?.fromAny ?? [])].find((c) => c.name === column)?.aliases[0];
  if (fromExtract) return fromExtract;
  if (OWN[column]) return OWN[column];
  const label = chineseHeader(column);
  return label === column ? '' : label;
}
