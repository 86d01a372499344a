-- int_unit_tree: the units each village of the year belongs to.
-- Grain: one row per village (in the year's census or enrolment) and level.
-- materialized: table
-- Columns:
--   village_code  12-digit division code of the village
--   level         village | township | county
--   code          the unit's division code (统计用区划代码): the village itself, its first 9 digits
--                 (乡镇) or its first 6 (县)
WITH villages AS (
  SELECT village_code FROM {{ ref('stg_census') }} WHERE census_year = {{ var('census_year') }}
  UNION
  SELECT village_code FROM {{ ref('stg_enrollment') }} WHERE scheme_year = {{ var('year') }}
)

SELECT village_code, 'village' AS level, village_code AS code FROM villages
UNION ALL
SELECT village_code, 'township', left(village_code, 9) FROM villages
UNION ALL
SELECT village_code, 'county', left(village_code, 6) FROM villages
