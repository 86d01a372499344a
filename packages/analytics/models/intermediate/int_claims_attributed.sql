-- int_claims_attributed: the year's claims with what the rules need to know about each: the
-- facility's level and place, and the person's enrolment that year. The compensation input
-- (rules/sql.ts COMPENSATION_INPUT_COLUMNS; household_members and opening_carry are added by the
-- compensation model when the policy has household accounts).
-- Grain: one row per claim of the scheme year, enrolled or not.
-- materialized: table
-- Columns: those of stg_claims the rules and facts read (not the patient's name), the diagnosis code
-- (the payouts page's top diagnoses), plus
--   level, in_county, designated  from the registry (NULL: the facility is not in it)
--   payout_level      the level payouts are broken down by: the facility's level, non_designated for
--                     a facility the registry says is not designated, unknown when it has no level
--   enrolled          the person is enrolled in the claim's scheme year
--   village_code      the village of that enrolment (a claim is attributed to it); NULL if not enrolled
--   category, household_id, subsidized   of that enrolment
WITH claims AS (
  SELECT claim_id, person_id, facility_code, visit_type, admission_date, discharge_date, diagnosis_code,
         total_cost, drug_cost, eligible_cost, reimbursed, referral, single_disease_code
  FROM {{ ref('stg_claims') }}
  WHERE scheme_year = {{ var('year') }}
),

facilities AS (
  SELECT * FROM {{ ref('stg_facilities') }}
),

enrollees AS (
  SELECT * FROM {{ ref('int_enrollees') }}
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
    e.household_id
  FROM claims c
  LEFT JOIN facilities f USING (facility_code)
  LEFT JOIN enrollees e USING (person_id)
)

SELECT * FROM final
