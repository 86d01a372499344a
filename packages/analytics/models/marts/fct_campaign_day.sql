-- fct_campaign_day: the enrolment campaign (筹资/参合进度) on its reporting days: each Monday and
-- Thursday between the first and the last receipt, and the last day.
-- Grain: one row per level, unit code (of int_units) and reporting day.
-- materialized: table
-- Facts:
--   enrolled_by_day     enrolees of the unit with a receipt dated on or before the day (a receipt
--                       counts from the first reporting day on or after its date)
--   census_enrolled_by_day  the same, of villages in the census (progress counts only these)
--   undated_enrollees   enrolees of the unit whose roll gives no date (counted apart)
WITH census_villages AS (
  SELECT DISTINCT village_code FROM {{ ref('stg_census') }} WHERE census_year = {{ var('census_year') }}
),

village_dates AS (
  SELECT village_code, enrolled_on, count(*) AS n, village_code IN (SELECT village_code FROM census_villages) AS in_census
  FROM {{ ref('int_enrollees') }}
  GROUP BY village_code, enrolled_on
),

enrollees AS (
  SELECT t.level, t.code, v.enrolled_on, v.n, v.in_census
  FROM village_dates v
  JOIN {{ ref('int_unit_tree') }} t USING (village_code)
),

bounds AS (
  SELECT min(enrolled_on) AS first, max(enrolled_on) AS last FROM {{ ref('int_enrollees') }}
),

days AS (
  SELECT CAST(d AS DATE) AS day
  FROM bounds, generate_series(bounds.first, bounds.last, INTERVAL 1 DAY) AS s(d)
  WHERE list_contains({{ var('reporting_days') }}, dayofweek(d)) OR CAST(d AS DATE) = bounds.last
),

per_day AS (
  SELECT level, code, (SELECT min(day) FROM days WHERE day >= e.enrolled_on) AS day, sum(n) AS n, sum(n) FILTER (in_census) AS census_n
  FROM enrollees e
  WHERE enrolled_on IS NOT NULL
  GROUP BY ALL
),

undated AS (
  SELECT level, code, sum(n) FILTER (enrolled_on IS NULL) AS undated_enrollees
  FROM enrollees
  GROUP BY level, code
),

units AS (
  SELECT level, code FROM {{ ref('int_units') }}
)

SELECT
  u.level,
  u.code,
  d.day,
  sum(coalesce(p.n, 0)) OVER (PARTITION BY u.level, u.code ORDER BY d.day) AS enrolled_by_day,
  sum(coalesce(p.census_n, 0)) OVER (PARTITION BY u.level, u.code ORDER BY d.day) AS census_enrolled_by_day,
  coalesce(un.undated_enrollees, 0) AS undated_enrollees
FROM units u
CROSS JOIN days d
LEFT JOIN per_day p ON p.level = u.level AND p.code = u.code AND p.day = d.day
LEFT JOIN undated un ON un.level = u.level AND un.code = u.code
