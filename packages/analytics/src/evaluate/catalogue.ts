/**
 * The catalogue evaluated over a facts relation: one SELECT with every indicator column, the
 * equity figures filled in from the units one level down, and the monthly and quarterly
 * figures over the month facts. What `ncms indicators` prints is what this computes.
 */
import {
  FACILITY_INDICATORS, INDICATORS, UNIT_INDICATORS, columnSql, concentrationIndex, indicatorColumns, largePayoutThresholds, policyParams, range, sqlTypeOfColumn, weightedGini,
  type CatalogueParams, type IndicatorColumn, type Policy,
} from '@ncms/rules';
import { query, type DuckDBConnection } from '@ncms/warehouse';

/** The year's columns under the default large-payout thresholds (a year's own: `yearColumns`). */
export const YEAR_COLUMNS: readonly IndicatorColumn[] = indicatorColumns();

/** The columns of a facility row (year and month rows alike). */
export const FACILITY_COLUMNS: readonly IndicatorColumn[] = indicatorColumns(FACILITY_INDICATORS);

/**
 * SELECT of the facilities' indicators for the year and each month, over the county's enrolees
 * and each township's (`area`), from the facility facts `facts` (fct_facility_period): the key
 * columns of the facility grain, then its indicators.
 */
export function facilityIndicatorsSql(year: number, facts: string, policy: Policy | undefined): string {
  const params = catalogueParams(policy);
  return `SELECT ${year} AS year, f.level, f.area, f.facility_code, f.name, f.facility_level, f.in_county, f.designated, f.period_type, f.period,
  ${FACILITY_COLUMNS.map((c) => columnSql(c, 'f', params, policy !== undefined)).join(',\n  ')}
FROM (SELECT 'facility' AS level, * FROM ${facts}) f`;
}

/** The columns of a year whose policy sets these large-payout thresholds. */
export function yearColumns(thresholds: readonly number[]): IndicatorColumn[] {
  return indicatorColumns(UNIT_INDICATORS, thresholds);
}
export const PERIOD_COLUMNS: readonly IndicatorColumn[] = indicatorColumns(INDICATORS.filter((i) => i.monthly));

export function catalogueParams(policy: Policy | undefined): CatalogueParams {
  return policyParams(policy);
}

/**
 * SELECT of the year's indicators over wide facts `facts` (one row per unit), with the
 * large-payout thresholds they were counted at (readers name the columns from them).
 */
export function yearIndicatorsSql(facts: string, policy: Policy | undefined): string {
  const params = catalogueParams(policy);
  const thresholds = largePayoutThresholds(policy);
  return `SELECT f.year, f.level, f.code AS division_code, f.name, [${thresholds.join(', ')}]::INTEGER[] AS large_payout_thresholds,
  ${yearColumns(thresholds).map((c) => columnSql(c, 'f', params, policy !== undefined)).join(',\n  ')}
FROM ${facts} f`;
}

/**
 * SELECT of the monthly indicators per month and per quarter over the month facts
 * `months` (level, code, month, facts…), named from `units`.
 */
export function periodIndicatorsSql(year: number, months: string, units: string, policy: Policy | undefined): string {
  const params = catalogueParams(policy);
  const quarter = `'${year}Q' || ((CAST(right(month, 2) AS INTEGER) + 2) // 3)`;
  return `
WITH periods AS (
  SELECT 'month' AS period_type, month AS period, * EXCLUDE (month) FROM ${months}
  UNION ALL BY NAME
  SELECT 'quarter' AS period_type, ${quarter} AS period, level, code, sum(COLUMNS(* EXCLUDE (level, code, month)))
  FROM ${months} GROUP BY level, code, ${quarter}
)
SELECT ${year} AS year, f.level, f.code AS division_code, u.name, f.period_type, f.period,
  ${PERIOD_COLUMNS.map((c) => columnSql(c, 'f', params, policy !== undefined)).join(',\n  ')}
FROM periods f
LEFT JOIN ${units} u USING (level, code)`;
}

const PROGRESS: IndicatorColumn = { column: 'campaign_progress', indicator: INDICATORS.find((i) => i.id === 'campaign_progress')! };

/** The campaign series: enrolees by each reporting day and the progress the catalogue defines. */
export function campaignSql(year: number, days: string, units: string, policy: Policy | undefined): string {
  return `SELECT ${year} AS year, f.level, f.code AS division_code, f.name, f.day, f.enrolled_by_day AS enrolled,
  ${columnSql(PROGRESS, 'f', catalogueParams(policy), policy !== undefined)}, f.undated_enrollees AS undated
FROM (SELECT c.*, u.name, u.agricultural_population FROM ${days} c JOIN ${units} u USING (level, code)) f`;
}

interface SubUnit {
  level: string;
  code: string;
  agri: number;
  enrollees: number;
  censusEnrollees: number;
  payout: number;
  income: number | null;
}

const EQUITY = INDICATORS.filter((i) => i.computedBy === 'equity' && !i.series);
const EQUITY_COLUMNS = indicatorColumns(EQUITY).map((c) => c.column);
/** Each equity column's type in the tables (the range of payouts per enrollee is money, rounded to the fen). */
const EQUITY_TYPES = Object.fromEntries(indicatorColumns(EQUITY).map((c) => [c.column, sqlTypeOfColumn(c)]));

/**
 * Gini, range and concentration index of every county and township (spec: equity), from the
 * facts of the units one level down that are in the census, as SQL VALUES (level, code,
 * <equity columns>). Equity figures are rates over a handful of units: binary floating point
 * is fine here.
 */
export async function equityValuesSql(conn: DuckDBConnection, facts: string): Promise<string> {
  const units = await query<{ level: string; code: string; agri: number | null; enrollees: number; censusEnrollees: number; payout: string; income: string | null }>(
    conn,
    `SELECT level, code, agricultural_population AS agri, enrollees, census_enrollees AS "censusEnrollees", payouts_total::VARCHAR AS payout, per_capita_net_income::VARCHAR AS income
     FROM ${facts} WHERE in_census ORDER BY code`,
  );
  const sub = units.map<SubUnit>((u) => ({ ...u, agri: u.agri ?? 0, payout: Number(u.payout), income: u.income === null ? null : Number(u.income) }));
  const villages = sub.filter((u) => u.level === 'village');
  const townships = sub.filter((u) => u.level === 'township');
  const rows = sub
    .filter((u) => u.level === 'county' || u.level === 'township')
    .map((u) => {
      const inside = <T extends SubUnit>(xs: T[]) => xs.filter((x) => x.code.startsWith(u.code));
      const kids = inside(u.level === 'county' ? townships : villages);
      const participation = kids.map((k) => ({ x: k.censusEnrollees / k.agri, w: k.agri }));
      const payout = kids.map((k) => ({ x: k.payout / k.enrollees, w: k.enrollees }));
      const pr = range(participation);
      const pp = range(payout);
      const values: Record<string, number | null> = {
        township_gini_participation_rate: weightedGini(participation),
        township_gini_payout_per_enrollee: weightedGini(payout),
        township_range_participation_rate_range: pr.range,
        township_range_participation_rate_ratio: pr.ratio,
        township_range_payout_per_enrollee_range: pp.range,
        township_range_payout_per_enrollee_ratio: pp.ratio,
        concentration_index: concentrationIndex(
          inside(villages)
            .filter((v) => v.income !== null)
            .map((v) => ({ x: v.payout / v.enrollees, w: v.enrollees, rankBy: v.income!, code: v.code })),
        ),
      };
      return `('${u.level}', '${u.code}', ${EQUITY_COLUMNS.map((c) => (values[c] == null ? 'NULL::DOUBLE' : `${values[c]}::DOUBLE`)).join(', ')})`;
    });
  const cols = ['level', 'code', ...EQUITY_COLUMNS].map((c) => `"${c}"`).join(', ');
  if (!rows.length) return `(SELECT NULL::VARCHAR AS level, NULL::VARCHAR AS code, ${EQUITY_COLUMNS.map((c) => `NULL::DOUBLE AS "${c}"`).join(', ')} WHERE false)`;
  return `(SELECT * FROM (VALUES ${rows.join(', ')}) AS e(${cols}))`;
}

/** The year's indicators with the equity figures put in: `indicators` and `equity` are relations. */
export function withEquitySql(indicators: string, equity: string): string {
  return `SELECT i.* REPLACE (${EQUITY_COLUMNS.map((c) => `e."${c}"::${EQUITY_TYPES[c]} AS "${c}"`).join(', ')})
FROM ${indicators} i LEFT JOIN ${equity} e ON e.level = i.level AND e.code = i.division_code`;
}
