-- int_units: every unit of the year at every level, named from the census.
-- Grain: one row per level and unit code (units found in the census or the enrolment).
-- materialized: table
-- Facts:
--   name                     the village or township name in the census; the county's name; empty
--                            for a unit the census does not know
--   agricultural_population  农业人口: Σ over the unit's census villages (empty without any)
--   in_census                whether any of the unit's villages is in the census
--   per_capita_net_income    the village's 农民人均纯收入 (villages only)
WITH tree AS (
  SELECT * FROM {{ ref('int_unit_tree') }}
),

census AS (
  SELECT * FROM {{ ref('stg_census') }} WHERE census_year = {{ var('census_year') }}
),

final AS (
  SELECT
    t.level,
    t.code,
    CASE t.level
      WHEN 'village' THEN any_value(c.village_name)
      WHEN 'township' THEN any_value(c.township_name)
      ELSE {{ var('county_name') }}
    END AS name,
    sum(c.agricultural_population) AS agricultural_population,
    count(c.village_code) > 0 AS in_census,
    CASE WHEN t.level = 'village' THEN any_value(c.per_capita_net_income) END AS per_capita_net_income
  FROM tree t
  LEFT JOIN census c USING (village_code)
  GROUP BY t.level, t.code
)

SELECT * FROM final
