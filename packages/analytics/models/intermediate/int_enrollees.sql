-- int_enrollees: the year's enrolees (参合人员).
-- Grain: one row per person enrolled in the year.
-- Columns: as stg_enrollment, plus
--   subsidized  the category is not general (资助参合: the government or civil affairs paid)
SELECT *, category <> 'general' AS subsidized
FROM {{ ref('stg_enrollment') }}
WHERE scheme_year = {{ var('year') }}
