/**
 * Chinese headers and values (`--labels zh`, the pages' tables, the reports), from the catalogue
 * and the vocabulary: a column is labelled in one place.
 */
import { FACILITY_LEVEL, FUND_SOURCE, GRAIN, PAYOUT_LEVEL, WARNING } from './vocabulary.ts';
import { KEY_COLUMNS, columnByName, columnLabel, indicatorById, unitOf, type Unit } from './indicators.ts';
import { sheetCell } from './format.ts';

const KEY_LABELS: Record<string, string> = {
  ...KEY_COLUMNS,
  claims: '笔数', count: '笔数', refund_due: '应退金额', amount: '金额', reimbursed: '报销金额', at_cap: '达封顶线', total: '合计',
  participation_rate: '参合率', payout_per_enrollee: '人均补偿',
  participation_rate_range: '参合率极差', participation_rate_ratio: '参合率极值比',
  payout_per_enrollee_range: '人均补偿极差', payout_per_enrollee_ratio: '人均补偿极值比',
  // the series' own columns (campaign progress, the Lorenz curve)
  enrolled: '参合人数', undated: '未填参合日期人数', point: '序号', village_code: '村代码', enrollee_share: '累计参合人数占比',
};

/** Units of the series' columns that are not catalogue columns (the Lorenz curve's shares are cumulative rates). */
const SERIES_UNITS: Record<string, Unit> = { enrolled: 'people', undated: 'people', point: 'count', enrollee_share: 'rate', payout_share: 'rate' };

export function keyLabel(key: string): string {
  if (FUND_SOURCE.has(key)) return FUND_SOURCE.zh(key);
  const threshold = /^ge_(\d+)$/.exec(key);
  if (threshold) return `≥${threshold[1]}元`;
  const level = /^(.*)_(payout|stays)$/.exec(key);
  if (level && PAYOUT_LEVEL.has(level[1]!)) return `${PAYOUT_LEVEL.zh(level[1]!)}${level[2] === 'payout' ? '补偿' : '人次'}`;
  return KEY_LABELS[key] ?? key;
}

export function chineseHeader(column: string): string {
  const c = columnByName(column);
  if (c) return columnLabel(c, keyLabel);
  return KEY_LABELS[column] ?? indicatorById(column)?.zh ?? column;
}

/**
 * A cell as a Chinese spreadsheet shows it (`--labels zh`): levels and facility levels by name,
 * yes/no as 是/否, warnings by their labels, numbers in the catalogue's format for the column's
 * unit as Excel reads them (`sheetCell`: `70.8%`, `1234.50`, whole counts); anything else as it is.
 */
export function chineseValue(column: string, value: unknown): unknown {
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (column === 'level' && typeof value === 'string' && GRAIN.has(value)) return GRAIN.zh(value);
  if (column === 'facility_level' && typeof value === 'string' && FACILITY_LEVEL.has(value)) return FACILITY_LEVEL.zh(value);
  if (column === 'warnings' && Array.isArray(value)) return chineseWarnings(value as string[]);
  const unit = columnUnit(column) ?? SERIES_UNITS[column] ?? indicatorById(column)?.unit;
  return unit ? sheetCell(value, unit) : value;
}

/** Warning codes as their Chinese labels. */
export function chineseWarnings(codes: readonly string[] | null): string[] | null {
  return codes && codes.map((c) => (WARNING.has(c) ? WARNING.zh(c) : c));
}

/** The unit of an output column of the catalogue (a family's stays and claims are counts); undefined for other columns. */
export function columnUnit(column: string): Unit | undefined {
  const c = columnByName(column);
  return c && unitOf(c.indicator, c.key);
}
