-- stg_enrollment: the enrolment rolls (参合花名册) as loaded.
-- Grain: one row per scheme year and person.
-- Columns:
--   scheme_year, person_id, household_id
--   village_code  the village the person enrolled in that year
--   category      general | wubao | dibao | tekun | disabled | poor (rules: CATEGORY)
--   enrolled_on   the receipt date; NULL when the roll gives none
SELECT
  year AS scheme_year,
  person_id,
  household_id,
  division_code AS village_code,
  category,
  enrolled_on
FROM enrollment
