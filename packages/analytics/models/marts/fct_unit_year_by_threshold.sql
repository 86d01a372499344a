-- fct_unit_year_by_threshold: large payouts (大额补偿): enrolees whose inpatient payout of the
-- year reaches each reporting threshold.
-- Grain: one row per level, unit code and threshold (元) for units with an enrolee who had claims.
-- materialized: table
-- Facts:
--   large_payout_persons   enrolees whose year inpatient payout (single-disease included) ≥ the threshold
WITH thresholds AS (
  SELECT unnest({{ var('large_payout_thresholds') }}) AS threshold
),

villages AS (
  SELECT p.village_code, th.threshold, count(*) FILTER (p.inpatient_payout >= th.threshold) AS persons
  FROM {{ ref('int_person_year') }} p
  CROSS JOIN thresholds th
  GROUP BY p.village_code, th.threshold
)

SELECT t.level, t.code, v.threshold, sum(v.persons) AS large_payout_persons
FROM villages v
JOIN {{ ref('int_unit_tree') }} t USING (village_code)
GROUP BY t.level, t.code, v.threshold
