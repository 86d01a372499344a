/**
 * Indicators over time within a scheme year: payouts per discharge month (the catalogue's
 * monthly entries over monthly facts) and campaign progress on reporting days.
 */
import { INDICATORS, indicatorColumns, type Grain, type Policy } from '@ncms/rules';
import { query, type DuckDBConnection } from '@ncms/warehouse';
import { GRAIN_LENGTH, catalogueSelect, censusYearFor, payoutSums, type IndicatorTable } from './indicators.ts';

const unitNames = (L: number, censusYear: number | null, countyName = '全县') => `
  SELECT left(division_code, ${L}) AS code,
    ${L === 12 ? 'any_value(village_name)' : L === 9 ? 'any_value(township_name)' : `'${countyName.replace(/'/g, "''")}'`} AS name,
    sum(agricultural_population) AS agri
  FROM census WHERE year = ${censusYear ?? 'NULL'} GROUP BY 1`;

/** One row per unit and discharge month with the catalogue's monthly indicators. */
export async function monthlyIndicators(conn: DuckDBConnection, year: number, grain: Grain, policy?: Policy): Promise<IndicatorTable> {
  const L = GRAIN_LENGTH[grain];
  const cols = indicatorColumns(INDICATORS.filter((i) => i.monthly));
  const rows = await query<Record<string, string | number | null>>(
    conn,
    `WITH f AS (
       SELECT left(e.division_code, ${L}) AS code, strftime(c.discharge_date, '%Y-%m') AS month, ${payoutSums('true')}
       FROM claims c JOIN enrollment e ON e.year = c.scheme_year AND e.person_id = c.person_id
       WHERE c.scheme_year = ${year} GROUP BY ALL
     )
     SELECT ${year} AS year, '${grain}' AS level, f.code AS division_code, n.name, f.month, ${catalogueSelect(cols, policy).join(', ')}
     FROM f LEFT JOIN (${unitNames(L, await censusYearFor(conn, year), policy?.scheme)}) n USING (code)
     ORDER BY f.code, f.month`,
  );
  return { columns: ['year', 'level', 'division_code', 'name', 'month', ...cols.map((c) => c.column)], rows, notes: [] };
}

/**
 * Campaign progress: on each reporting day (Mondays and Thursdays, and the last day of
 * enrolment), enrollees enrolled on or before it ÷ agricultural population. Enrollees
 * without a date are counted apart (`undated`).
 */
export async function campaignProgress(conn: DuckDBConnection, year: number, grain: Grain, reportingDays: readonly number[] = [1, 4]): Promise<IndicatorTable> {
  const L = GRAIN_LENGTH[grain];
  const censusYear = await censusYearFor(conn, year);
  const rows = await query<Record<string, string | number | null>>(
    conn,
    `WITH enr AS (SELECT left(division_code, ${L}) AS code, enrolled_on FROM enrollment WHERE year = ${year}),
     bounds AS (SELECT min(enrolled_on) AS first, max(enrolled_on) AS last FROM enr),
     days AS (
       SELECT CAST(d AS DATE) AS day FROM bounds, generate_series(bounds.first, bounds.last, INTERVAL 1 DAY) AS t(d)
       WHERE dayofweek(d) IN (${reportingDays.join(', ')}) OR CAST(d AS DATE) = bounds.last
     ),
     -- each enrolment counts from the first reporting day on or after its date
     by_date AS (SELECT code, enrolled_on, count(*) AS n FROM enr WHERE enrolled_on IS NOT NULL GROUP BY ALL),
     per_day AS (
       SELECT code, (SELECT min(day) FROM days WHERE day >= b.enrolled_on) AS day, sum(n) AS n FROM by_date b GROUP BY ALL
     ),
     -- census units without an enrollee yet are shown too: those are the ones to follow up
     units AS (
       SELECT code, sum(undated) AS undated FROM (
         SELECT code, count(*) FILTER (enrolled_on IS NULL) AS undated FROM enr GROUP BY code
         UNION ALL SELECT left(division_code, ${L}), 0 FROM census WHERE year = ${censusYear ?? 'NULL'}
       ) GROUP BY code
     )
     SELECT ${year} AS year, '${grain}' AS level, u.code AS division_code, nm.name, d.day::VARCHAR AS day,
       sum(coalesce(p.n, 0)) OVER (PARTITION BY u.code ORDER BY d.day) AS enrolled,
       CAST(sum(coalesce(p.n, 0)) OVER (PARTITION BY u.code ORDER BY d.day) AS DOUBLE) / nullif(nm.agri, 0) AS campaign_progress,
       u.undated
     FROM units u CROSS JOIN days d
     LEFT JOIN per_day p ON p.code = u.code AND p.day = d.day
     LEFT JOIN (${unitNames(L, censusYear)}) nm ON nm.code = u.code
     ORDER BY u.code, d.day`,
  );
  return { columns: ['year', 'level', 'division_code', 'name', 'day', 'enrolled', 'campaign_progress', 'undated'], rows, notes: [] };
}
