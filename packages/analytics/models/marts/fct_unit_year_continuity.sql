-- fct_unit_year_continuity: who stayed, who came and who left since last year (连续参合).
-- Grain: one row per level and unit code of int_units; every fact empty when last year has no roll.
-- materialized: table
-- A person counts in the unit of the village they enrolled in that year; a village of last year's
-- roll rolls up by its code (it need not be in this year's census or roll).
-- Facts:
--   last_year_enrollees   last year's enrolees of the unit
--   renewed_enrollees     of those, the ones enrolled anywhere in the county this year
--   new_enrollees         this year's enrolees of the unit enrolled nowhere in the county last year
WITH this_year AS (
  SELECT person_id, village_code FROM {{ ref('int_enrollees') }}
),

last_year AS (
  SELECT person_id, village_code FROM {{ ref('stg_enrollment') }} WHERE scheme_year = {{ var('year') }} - 1
),

had_roll AS (
  SELECT count(*) > 0 AS any_last_year FROM last_year
),

-- one join of the two rolls: each person with last year's village and this year's (either may be missing)
pairs AS (
  SELECT l.village_code AS last_village, t.village_code AS this_village
  FROM last_year l FULL JOIN this_year t USING (person_id)
),

last_villages AS (
  SELECT last_village AS village_code, count(*) AS last_year_enrollees, count(this_village) AS renewed_enrollees
  FROM pairs WHERE last_village IS NOT NULL
  GROUP BY last_village
),

this_villages AS (
  SELECT this_village AS village_code, count(*) FILTER (last_village IS NULL) AS new_enrollees
  FROM pairs WHERE this_village IS NOT NULL
  GROUP BY this_village
),

units AS (
  SELECT level, code FROM {{ ref('int_units') }}
),

-- a village belongs to the units its code lies in
rolled AS (
  SELECT u.level, u.code,
    sum(l.last_year_enrollees) AS last_year_enrollees, sum(l.renewed_enrollees) AS renewed_enrollees
  FROM last_villages l
  JOIN units u ON u.code = left(l.village_code, length(u.code))
  GROUP BY u.level, u.code
),

rolled_new AS (
  SELECT u.level, u.code, sum(t.new_enrollees) AS new_enrollees
  FROM this_villages t
  JOIN units u ON u.code = left(t.village_code, length(u.code))
  GROUP BY u.level, u.code
)

SELECT
  u.level,
  u.code,
  CASE WHEN h.any_last_year THEN coalesce(r.last_year_enrollees, 0) END AS last_year_enrollees,
  CASE WHEN h.any_last_year THEN coalesce(r.renewed_enrollees, 0) END AS renewed_enrollees,
  CASE WHEN h.any_last_year THEN coalesce(n.new_enrollees, 0) END AS new_enrollees
FROM units u
CROSS JOIN had_roll h
LEFT JOIN rolled r USING (level, code)
LEFT JOIN rolled_new n USING (level, code)
