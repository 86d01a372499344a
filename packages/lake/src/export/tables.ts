/**
 * What the lake holds: the warehouse's core tables (as loaded), the prepared claims and the
 * analytics tables, each partitioned by scheme year and county as a city or provincial platform
 * reads them (`<table>/year=2005/county=360121/part-….parquet`). Tables without a year (the
 * facility list, the load history) are partitioned by county only.
 */

export type LakeGroup = 'core' | 'prepared' | 'derived' | 'lineage';

export interface LakeTable {
  /** The name in the lake (and the analyst's view name). */
  name: string;
  group: LakeGroup;
  /** The warehouse table or view it is read from. */
  from: string;
  /** The column holding the scheme year (written as the `year` partition, not inside the files); none: county only. */
  year?: string;
  /** Columns left out: internal bookkeeping, and for `policy` a value that is not plain data. */
  omit?: readonly string[];
  /** Personal data, masked in a masked export: ID numbers and names. */
  personal?: { id?: string; name?: string };
  zh: string;
}

export const LAKE_TABLES: readonly LakeTable[] = [
  { name: 'census', group: 'core', from: 'census', year: 'year', omit: ['row_hash'], zh: '人口统计（户籍农业人口，按村）' },
  { name: 'enrollment', group: 'core', from: 'enrollment', year: 'year', omit: ['row_hash'], personal: { id: 'person_id', name: 'name' }, zh: '参合名册（每人每年一行）' },
  { name: 'claims', group: 'core', from: 'claims', year: 'scheme_year', omit: ['row_hash'], personal: { id: 'person_id', name: 'name' }, zh: '就诊与补偿结算（HIS）' },
  { name: 'ledger', group: 'core', from: 'ledger', year: 'year', omit: ['row_hash'], zh: '基金收支台账' },
  { name: 'facilities', group: 'core', from: 'facilities', omit: ['row_hash'], zh: '定点医疗机构目录' },
  { name: 'policies', group: 'core', from: 'policies', year: 'year', omit: ['source_path'], zh: '年度补偿方案（政策文件）' },
  { name: 'analytics_claims', group: 'prepared', from: 'analytics_claims', year: 'year', personal: { id: 'person_id' }, zh: '按年度政策重算后的就诊（应补偿、补偿档次、参合状态）' },
  { name: 'analytics_year', group: 'derived', from: 'analytics_year', year: 'year', zh: '年度指标（县、乡镇、村）' },
  { name: 'analytics_period', group: 'derived', from: 'analytics_period', year: 'year', zh: '月度、季度指标' },
  { name: 'analytics_facility', group: 'derived', from: 'analytics_facility', year: 'year', zh: '医疗机构监管指标' },
  { name: 'analytics_campaign', group: 'derived', from: 'analytics_campaign', year: 'year', zh: '参合动员进度（按日）' },
  { name: 'analytics_audit', group: 'derived', from: 'analytics_audit', year: 'year', personal: { id: 'person_id', name: 'name' }, zh: '审核结果（逐笔差额与发现）' },
  { name: 'analytics_audit_rules', group: 'derived', from: 'analytics_audit_rules', year: 'year', personal: { id: 'person_id', name: 'name' }, zh: '审核规则发现（逐笔、逐条规则）' },
  { name: 'analytics_audit_fund', group: 'derived', from: 'analytics_audit_fund', year: 'year', personal: { id: 'person_id' }, zh: '花名册与基金审核发现' },
  { name: 'analytics_drug_share', group: 'derived', from: 'analytics_drug_share', year: 'year', zh: '机构月度药占比' },
  { name: 'analytics_facts_year', group: 'derived', from: 'analytics_facts_year', year: 'year', zh: '指标的分子分母（事实表）' },
  { name: 'batches', group: 'lineage', from: 'batches', zh: '已载入文件（数据版本的依据）' },
];
