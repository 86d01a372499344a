-- int_claims_attributed: the year's claims with what the rules need to know about each: the
-- facility's level and place, and the person's enrolment that year. Also the compensation input
-- (rules/sql.ts COMPENSATION_INPUT_COLUMNS, with opening_carry added by the caller).
-- Grain: one row per claim of the scheme year, enrolled or not.
-- materialized: table
-- Columns: as stg_claims, plus
--   level, in_county, designated  from the registry (NULL: the facility is not in it)
--   payout_level      the level payouts are broken down by: the facility's level, non_designated for
--                     a facility the registry says is not designated, unknown when it has no level
--   enrolled          the person is enrolled in the claim's scheme year
--   village_code      the village of that enrolment (a claim is attributed to it); NULL if not enrolled
--   category, household_id, subsidized   of that enrolment
--   household_members the household's enrolees that year
WITH claims AS (
  SELECT * FROM {{ ref('stg_claims') }} WHERE scheme_year = {{ var('year') }}
),

facilities AS (
  SELECT * FROM {{ ref('stg_facilities') }}
),

enrollees AS (
  SELECT * FROM {{ ref('int_enrollees') }}
),

households AS (
  SELECT household_id, count(*) AS household_members FROM enrollees GROUP BY household_id
),

final AS (
  SELECT
    c.*,
    f.level,
    f.in_county,
    f.designated,
    CASE WHEN f.level IS NULL THEN 'unknown' WHEN NOT f.designated THEN 'non_designated' ELSE f.level END AS payout_level,
    e.person_id IS NOT NULL AS enrolled,
    e.village_code,
    e.category,
    e.subsidized,
    e.household_id,
    h.household_members
  FROM claims c
  LEFT JOIN facilities f USING (facility_code)
  LEFT JOIN enrollees e USING (person_id)
  LEFT JOIN households h ON h.household_id = e.household_id
)

SELECT * FROM final
