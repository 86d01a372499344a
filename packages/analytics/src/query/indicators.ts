/**
 * Indicators as callers ask for them: ids × grain × units × period (a year, a quarter
 * `2006Q1`, a month `2006-03`), from the analytics tables (or from a fresh computation's
 * tables of the same shape). Rows are plain values: money as exact text, counts and rates
 * as numbers, warnings as a list of codes.
 */
import { FACILITY_KEY_COLUMNS, GRAIN, INDICATORS, LARGE_PAYOUT_THRESHOLDS, columnByName, lorenzPoints, sqlTypeOfColumn, type Grain, type IndicatorColumn } from '@ncms/rules';
import { arrowTable, rows, sqlString, type DuckDBConnection, type Row } from '@ncms/warehouse';
import type { Table } from 'apache-arrow';
import { FACILITY_COLUMNS, PERIOD_COLUMNS, YEAR_COLUMNS, yearColumns } from '../evaluate/catalogue.ts';
import { ANALYTICS_TABLES } from '../prepare/refresh.ts';
import type { YearOutput } from '../evaluate/year.ts';
import { QueryError } from './errors.ts';
import { nearNames } from './near-names.ts';

/** Where the numbers are read from: the analytics tables, or a fresh computation's temp tables. */
export type Source = Record<YearOutput, string>;
export const PREPARED: Source = ANALYTICS_TABLES;

export interface IndicatorTable {
  columns: string[];
  rows: Row[];
  notes: string[];
}

export interface IndicatorQuery {
  year: number;
  /** A level, or several (the county with its townships, say): rows come level by level, in this order. */
  grain: Grain | readonly Grain[];
  /** Indicator ids (a family's id gives all its columns); default every indicator. */
  ids?: readonly string[];
  /** Only these units (division codes). */
  units?: readonly string[];
  /** Only units inside this division code (a township's villages, say). */
  within?: string;
  /** `YYYY` (default: the year), `YYYYQn` or `YYYY-MM`; quarters and months have the monthly indicators only. */
  period?: string;
}


export type PeriodKind = 'year' | 'quarter' | 'month';

/** The kind of a period written as `YYYY`, `YYYYQn` or `YYYY-MM`, which must lie in `year`. */
export function parsePeriod(period: string, year: number): PeriodKind {
  const m = /^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$/.exec(period);
  if (!m) throw new QueryError('period', `period 应为 YYYY、YYYYQn 或 YYYY-MM，例如 2006、2006Q1、2006-03 (got "${period}")`);
  if (Number(m[1]) !== year) throw new QueryError('period', `period ${period} 不在 ${year} 年内 (outside the year)`);
  return m[2] ? 'quarter' : m[3] ? 'month' : 'year';
}

/**
 * The columns of `ids` among `available`, in catalogue order: an id is a family's (all its
 * columns), a scalar's, or one output column's name (`underpaid_count`, `large_payouts_ge_4000`).
 * An id that is not there is refused, saying why (`notHere`) or, for a name unknown anywhere,
 * which names are near it.
 */
export function selectColumns(available: readonly IndicatorColumn[], ids?: readonly string[], notHere = '这些指标不按此期间计算 (not available for this period)'): IndicatorColumn[] {
  if (!ids?.length) return [...available];
  const wanted = (c: IndicatorColumn) => ids.includes(c.indicator.id) || ids.includes(c.column);
  const unknown = ids.filter((id) => !available.some((c) => c.indicator.id === id || c.column === id));
  if (unknown.length) {
    const elsewhere = unknown.filter((id) => INDICATORS.some((i) => i.id === id) || columnByName(id));
    const nowhere = unknown.filter((id) => !elsewhere.includes(id));
    const names = available.flatMap((c) => (c.key === undefined ? [c.column] : [c.indicator.id, c.column]));
    const hint = (id: string) => {
      const near = nearNames(id, names);
      return near.length ? `${id}（相近的有 did you mean: ${near.join(', ')}）` : `${id}（没有相近的名称 no similar name）`;
    };
    const parts = [...(nowhere.length ? [`未知指标 (unknown indicator): ${nowhere.map(hint).join('；')}`] : []), ...(elsewhere.length ? [`${notHere}: ${elsewhere.join(', ')}`] : [])];
    throw new QueryError('ids', parts.join('；'));
  }
  return available.filter(wanted);
}

/**
 * Facilities, for the year or a month (spec: facility grain), ordered by facility code: over the
 * county's enrolees, or a township's (`within` a 9-digit code).
 */
function facilityQuery(q: IndicatorQuery, source: Source, monthly = false): TableQuery {
  const kind = monthly ? 'month' : parsePeriod(q.period ?? String(q.year), q.year);
  if (kind === 'quarter') throw new QueryError('period', '医疗机构按年或按月计算，period 请写 YYYY 或 YYYY-MM (facilities are by year or month)');
  if (q.within !== undefined && !/^\d{9}$/.test(q.within)) throw new QueryError('township', `按医疗机构时 township 应为 9 位乡镇代码 (facility figures narrow to a township's enrolees; got "${q.within}")`);
  const cols = selectColumns(FACILITY_COLUMNS, q.ids, '这些指标不按医疗机构计算 (not computed per facility)');
  const keys = [...FACILITY_KEY_COLUMNS, ...(kind === 'month' ? [monthly ? 'month' : 'period'] : [])];
  // the county's rows are its 6-digit area, a township's its 9-digit code
  const area = q.within ? `area = ${sqlString(q.within)}` : 'length(area) = 6';
  const units = q.units?.length ? ` AND facility_code IN (${q.units.map(sqlString).join(', ')})` : '';
  const period = kind === 'year' ? ` AND period_type = 'year'` : ` AND period_type = 'month'${monthly ? '' : ` AND period = ${sqlString(q.period!)}`}`;
  const select = [...FACILITY_KEY_COLUMNS.map((k) => `"${k}"`), ...(kind === 'month' ? [monthly ? 'period AS month' : 'period'] : []), ...cols.map(selectAsText)];
  return {
    columns: [...keys, ...cols.map((c) => c.column)],
    sql: `SELECT ${select.join(', ')} FROM ${source.facilities}
      WHERE year = ${q.year} AND ${area}${period}${units} ORDER BY facility_code${monthly ? ', period' : ''}`,
  };
}

/** Money leaves the database as exact text (DuckDB writes it faster than JavaScript converts a decimal). */
const selectAsText = (c: IndicatorColumn) => (sqlTypeOfColumn(c) === 'DECIMAL(18,2)' ? `"${c.column}"::VARCHAR AS "${c.column}"` : `"${c.column}"`);

function unitFilter(q: Pick<IndicatorQuery, 'units' | 'within'>): string {
  const parts: string[] = [];
  if (q.units?.length) parts.push(`division_code IN (${q.units.map(sqlString).join(', ')})`);
  if (q.within) parts.push(`starts_with(division_code, ${sqlString(q.within)})`);
  return parts.map((p) => ` AND ${p}`).join('');
}

/** `level IN (…)` and an ORDER BY that keeps the levels in the order asked, each by division code. */
function levelsSql(grain: IndicatorQuery['grain']): { where: string; order: string } {
  const grains = typeof grain === 'string' ? [grain] : [...grain];
  // facilities are a grain of their own, read alone
  const bad = grains.filter((g) => !GRAIN.has(g) || g === 'facility');
  if (bad.length || !grains.length) throw new QueryError('by', `by 应为 ${GRAIN.codes.join('、')} (got "${bad.join(',')}")`);
  return {
    where: `level IN (${grains.map(sqlString).join(', ')})`,
    order: grains.length > 1 ? `list_position([${grains.map(sqlString).join(', ')}], level), division_code` : 'division_code',
  };
}

/** The large-payout thresholds year `year` was counted at (its policy's; the default ones for a year with no rows). */
export async function yearThresholds(conn: DuckDBConnection, year: number, source: Source = PREPARED): Promise<readonly number[]> {
  // A year without rows reads the nearest year's columns (they exist in the table; the default ones may not).
  const [r] = await rows<{ t: number[] | null }>(
    conn,
    `SELECT large_payout_thresholds AS t FROM ${source.indicators} ORDER BY year = ${year} DESC, abs(year - ${year}), year DESC LIMIT 1`,
  );
  return r?.t ?? LARGE_PAYOUT_THRESHOLDS;
}

/**
 * The SQL and columns of an indicator query. A year's large-payout columns follow its policy's
 * thresholds (`yearThresholds`); without them, the default ones.
 */
export function indicatorsQuery(q: IndicatorQuery, source: Source = PREPARED, thresholds?: readonly number[]): TableQuery {
  if (q.grain === 'facility') return facilityQuery(q, source);
  const levels = levelsSql(q.grain);
  const kind = parsePeriod(q.period ?? String(q.year), q.year);
  const cols = selectColumns(kind === 'year' ? (thresholds ? yearColumns(thresholds) : YEAR_COLUMNS) : PERIOD_COLUMNS, q.ids);
  const keys = kind === 'year' ? ['year', 'level', 'division_code', 'name'] : ['year', 'level', 'division_code', 'name', 'period'];
  const columns = [...keys, ...cols.map((c) => c.column)];
  const where = `year = ${q.year} AND ${levels.where}${unitFilter(q)}${kind === 'year' ? '' : ` AND period_type = '${kind}' AND period = ${sqlString(q.period!)}`}`;
  const table = kind === 'year' ? source.indicators : source.periods;
  return { columns, sql: `SELECT ${[...keys.map((k) => `"${k}"`), ...cols.map(selectAsText)].join(', ')} FROM ${table} WHERE ${where} ORDER BY ${levels.order}` };
}

/** An indicator query with the year's own large-payout columns. */
export async function yearIndicatorsQuery(conn: DuckDBConnection, q: IndicatorQuery, source: Source = PREPARED): Promise<TableQuery> {
  return indicatorsQuery(q, source, await yearThresholds(conn, q.year, source));
}

/** The columns and the SQL of an indicator query (rows or Arrow are read from it). */
export async function readIndicators(conn: DuckDBConnection, q: IndicatorQuery, source: Source = PREPARED): Promise<IndicatorTable> {
  return readTable(conn, await yearIndicatorsQuery(conn, q, source));
}

/** The same as an Arrow table (for large results: all villages of a county, say). */
export async function readIndicatorsArrow(conn: DuckDBConnection, q: IndicatorQuery, source: Source = PREPARED): Promise<Table> {
  return readTableArrow(conn, await yearIndicatorsQuery(conn, q, source));
}

/** A read as SQL with its columns: rows or Arrow are read from it alike. */
export interface TableQuery {
  columns: string[];
  sql: string;
}

/** Payout indicators of every unit per discharge month (`--series monthly`). */
export function monthlyQuery(q: Omit<IndicatorQuery, 'period'>, source: Source = PREPARED): TableQuery {
  if (q.grain === 'facility') return facilityQuery(q, source, true);
  const cols = selectColumns(PERIOD_COLUMNS, q.ids);
  const levels = levelsSql(q.grain);
  const select = ['year', 'level', 'division_code', 'name', 'period AS month', ...cols.map(selectAsText)].join(', ');
  return {
    columns: ['year', 'level', 'division_code', 'name', 'month', ...cols.map((c) => c.column)],
    sql: `SELECT ${select} FROM ${source.periods} WHERE year = ${q.year} AND ${levels.where} AND period_type = 'month'${unitFilter(q)} ORDER BY ${levels.order}, month`,
  };
}

/** Campaign progress on its reporting days (`--series campaign`). */
export function campaignQuery(q: Pick<IndicatorQuery, 'year' | 'grain' | 'units' | 'within'>, source: Source = PREPARED): TableQuery {
  const levels = levelsSql(q.grain);
  return {
    columns: ['year', 'level', 'division_code', 'name', 'day', 'enrolled', 'campaign_progress', 'undated'],
    sql: `SELECT year, level, division_code, name, day::VARCHAR AS day, enrolled, campaign_progress, undated FROM ${source.campaign}
       WHERE year = ${q.year} AND ${levels.where}${unitFilter(q)} ORDER BY ${levels.order}, day`,
  };
}

export async function readMonthly(conn: DuckDBConnection, q: Omit<IndicatorQuery, 'period'>, source: Source = PREPARED): Promise<IndicatorTable> {
  return readTable(conn, monthlyQuery(q, source));
}

export async function readCampaign(conn: DuckDBConnection, q: Pick<IndicatorQuery, 'year' | 'grain' | 'units' | 'within'>, source: Source = PREPARED): Promise<IndicatorTable> {
  return readTable(conn, campaignQuery(q, source));
}

/** The rows of a table query as plain values. */
export async function readTable(conn: DuckDBConnection, q: TableQuery): Promise<IndicatorTable> {
  return { columns: q.columns, rows: await rows(conn, q.sql), notes: [] };
}

/** The same as an Arrow table (for large results: every village of a county by month, say). */
export function readTableArrow(conn: DuckDBConnection, q: TableQuery): Promise<Table> {
  return arrowTable(conn, q.sql);
}

export interface LorenzPoint {
  x: number;
  y: number;
  code: string | null;
}

/** The Lorenz curve of payouts over the census villages of a unit (a series: JSON and API only). */
export async function readLorenz(conn: DuckDBConnection, q: { year: number; code: string }, source: Source = PREPARED): Promise<LorenzPoint[]> {
  const villages = await rows<{ code: string; enrollees: number; payout: string }>(
    conn,
    `SELECT code, enrollees, payouts_total::VARCHAR AS payout FROM ${source.facts}
     WHERE year = ${q.year} AND level = 'village' AND in_census AND starts_with(code, ${sqlString(q.code)}) ORDER BY code`,
  );
  // Shares of a whole are rates: binary floating point is fine for the curve.
  return lorenzPoints(villages.map((v) => ({ code: v.code, enrollees: v.enrollees, payout: Number(v.payout) })));
}

