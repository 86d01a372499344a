/**
 * The payout trend explorer: one monthly indicator of the catalogue per unit (county, township,
 * village or facility) and period (month, quarter, year) over the prepared years, optionally
 * split by a breakdown (facility level, in/out of county, enrolee category, diagnosis chapter),
 * beside the same period of the year before and the growth.
 *
 * One definition of each number: the claims' facts come from the model int_claim_measures run
 * over the prepared claims (its `ref('int_claims_expected')` is analytics_claims), and the
 * indicator is the catalogue's expression over their sums — a township's quarter unsplit is the
 * figure the pages and `ncms indicators` show.
 */
import { breakdownByCode, columnSql, partLabel, sqlTypeOfColumn, type Grain, type IndicatorColumn } from '@ncms/rules';
import { rows, sqlString, type DuckDBConnection } from '@ncms/warehouse';
import { catalogueParams, PERIOD_COLUMNS } from '../evaluate/catalogue.ts';
import { yearVars } from '../models/code-models.ts';
import { runModels } from '../models/run-models.ts';
import { policyBook, storedPolicies } from '../prepare/policy-store.ts';
import { ANALYTICS_TABLES } from '../prepare/refresh.ts';
import { QueryError } from './errors.ts';

export const EXPLORE_PERIODS = ['month', 'quarter', 'year'] as const;
export type ExplorePeriod = (typeof EXPLORE_PERIODS)[number];

/** The indicators the explorer offers: the catalogue's per-period ones. */
export const EXPLORE_COLUMNS: readonly IndicatorColumn[] = PERIOD_COLUMNS;

/** Rows an explorer answer holds at most (a county's villages by month over a decade would be more). */
export const EXPLORE_MAX_ROWS = 20_000;

export interface ExploreQuery {
  indicator: string;
  grain: Grain;
  period: ExplorePeriod;
  breakdown?: string;
  /** Only this township's units (at facility grain: its enrolees' claims). */
  township?: string;
  /** Only this unit (a division or facility code). */
  unit?: string;
  /** First and last scheme year; default every prepared year. */
  from?: number;
  to?: number;
}

export interface ExploreRow {
  year: number;
  period: string;
  code: string;
  name: string | null;
  part: string | null;
  partName: string | null;
  /** Money as exact text, rates as fractions, counts as numbers; null where undefined (no stays). */
  value: string | number | null;
  previous: string | number | null;
  /** value ÷ previous − 1; null without a previous value or when it is 0. */
  growth: number | null;
}

export interface ExploreResult {
  column: IndicatorColumn;
  rows: ExploreRow[];
  years: number[];
  /** More rows than `maxRows` matched: only the first `maxRows` are here. */
  truncated: boolean;
  maxRows: number;
}

function unitSql(grain: Grain): string {
  if (grain === 'county') return 'left(m.village_code, 6)';
  if (grain === 'township') return 'left(m.village_code, 9)';
  if (grain === 'village') return 'm.village_code';
  return 'm.facility_code';
}

function periodSql(period: ExplorePeriod, year: number): string {
  if (period === 'month') return 'm.month';
  if (period === 'quarter') return `'${year}Q' || ((CAST(right(m.month, 2) AS INTEGER) + 2) // 3)`;
  return `'${year}'`;
}

/** Checks the question before any SQL is built from it. */
export function checkExplore(q: ExploreQuery): { column: IndicatorColumn } {
  const column = EXPLORE_COLUMNS.find((c) => c.indicator.id === q.indicator);
  if (!column) throw new QueryError('indicator', `指标 ${q.indicator} 不能按期间分析；可选：${EXPLORE_COLUMNS.map((c) => c.indicator.id).join('、')}`);
  if (!(EXPLORE_PERIODS as readonly string[]).includes(q.period)) throw new QueryError('period', `period 应为 month、quarter 或 year (got "${q.period}")`);
  if (q.breakdown && !breakdownByCode(q.breakdown)) throw new QueryError('breakdown', `未知的分组 ${q.breakdown}`);
  if (q.township !== undefined && !/^\d{9}$/.test(q.township)) throw new QueryError('township', `township 应为 9 位乡镇区划代码 (got "${q.township}")`);
  if (q.unit !== undefined && !/^[0-9A-Za-z_-]{1,32}$/.test(q.unit)) throw new QueryError('unit', `unit 应为区划或机构代码 (got "${q.unit}")`);
  return { column };
}

/** One year's facts per unit, period and part, with the indicator computed from them. */
async function yearRows(conn: DuckDBConnection, q: ExploreQuery, column: IndicatorColumn, year: number, policy: Parameters<typeof catalogueParams>[0]): Promise<string> {
  const run = await runModels(conn, {
    want: ['int_claim_measures'],
    vars: yearVars(year, null, policy),
    provided: { int_claims_expected: `(SELECT * FROM ${ANALYTICS_TABLES.claims} WHERE year = ${year})` },
  });
  const b = q.breakdown ? breakdownByCode(q.breakdown)! : undefined;
  const filters = [
    q.township ? `starts_with(m.village_code, ${sqlString(q.township)})` : '',
    q.unit ? `${unitSql(q.grain)} = ${sqlString(q.unit)}` : '',
  ].filter(Boolean);
  const table = `explore_${year}_${Math.random().toString(36).slice(2, 8)}`;
  await conn.run(`CREATE TEMP TABLE ${table} AS
    WITH facts AS (
      SELECT unit_code, period, part, sum(COLUMNS(* EXCLUDE (claim_id, village_code, facility_code, month, unit_code, period, part)))
      FROM (
        SELECT m.*, ${unitSql(q.grain)} AS unit_code, ${periodSql(q.period, year)} AS period, ${b ? b.sql('c') : 'NULL::VARCHAR'} AS part
        FROM ${run.relation('int_claim_measures')} m
        ${b ? `JOIN ${ANALYTICS_TABLES.claims} c ON c.year = ${year} AND c.claim_id = m.claim_id` : ''}
        ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}
      )
      GROUP BY unit_code, period, part
    )
    SELECT year, period, code, part, "${column.column}" AS value FROM (
      SELECT ${year} AS year, f.period, f.unit_code AS code, f.part, ${columnSql(column, 'f', catalogueParams(policy), policy !== undefined)}
      FROM (SELECT '${q.grain}' AS level, * FROM facts) f
    )`);
  await run.drop();
  return table;
}

/** The explorer's answer (every prepared year from `from` to `to`, a year before for the growth). */
export async function explore(conn: DuckDBConnection, q: ExploreQuery): Promise<ExploreResult> {
  const { column } = checkExplore(q);
  const prepared = (await rows<{ year: number }>(conn, `SELECT DISTINCT year FROM ${ANALYTICS_TABLES.claims} ORDER BY year`)).map((r) => Number(r.year));
  const years = prepared.filter((y) => (q.from === undefined || y >= q.from) && (q.to === undefined || y <= q.to));
  // The year before the first shown, for its growth.
  const read = prepared.filter((y) => years.includes(y) || years.includes(y + 1));
  const book = policyBook((await storedPolicies(conn)).map((p) => p.policy));
  const tables: string[] = [];
  try {
    for (const y of read) tables.push(await yearRows(conn, q, column, y, book.forYear(y)?.policy));
    if (!tables.length) return { column, rows: [], years, truncated: false, maxRows: EXPLORE_MAX_ROWS };
    const money = sqlTypeOfColumn(column) === 'DECIMAL(18,2)';
    const out = (x: string) => (money ? `${x}::VARCHAR` : x);
    const names =
      q.grain === 'facility'
        ? `SELECT facility_code AS code, facility_name AS name FROM facilities`
        : `SELECT DISTINCT division_code AS code, name FROM ${ANALYTICS_TABLES.periods} WHERE level = '${q.grain}'`;
    const found = await rows<Omit<ExploreRow, 'partName'>>(
      conn,
      `WITH r AS (${tables.map((t) => `SELECT * FROM ${t}`).join(' UNION ALL ')}),
            n AS (SELECT code, any_value(name) AS name FROM (${names}) GROUP BY code)
       SELECT r.year, r.period, r.code, n.name, r.part, ${out('r.value')} AS value, ${out('p.value')} AS previous,
              CASE WHEN p.value <> 0 THEN CAST(r.value AS DOUBLE) / CAST(p.value AS DOUBLE) - 1 END AS growth
       FROM r
       LEFT JOIN r p ON p.code = r.code AND p.part IS NOT DISTINCT FROM r.part AND p.year = r.year - 1
                    AND p.period = CAST(r.year - 1 AS VARCHAR) || substr(r.period, 5)
       LEFT JOIN n ON n.code = r.code
       WHERE r.year IN (${years.join(', ') || 'NULL'})
       ORDER BY r.period, r.code, r.part
       LIMIT ${EXPLORE_MAX_ROWS + 1}`,
    );
    const b = q.breakdown ? breakdownByCode(q.breakdown) : undefined;
    return {
      column,
      years,
      truncated: found.length > EXPLORE_MAX_ROWS,
      maxRows: EXPLORE_MAX_ROWS,
      rows: found.slice(0, EXPLORE_MAX_ROWS).map((r) => ({ ...r, year: Number(r.year), partName: b && r.part !== null ? partLabel(b, r.part) : null })),
    };
  } finally {
    for (const t of tables) await conn.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
