-- fct_unit_month: the additive claim facts of every unit per discharge month.
-- Grain: one row per level, unit code and month (YYYY-MM) with a claim of an enrolee of the unit.
-- materialized: table
-- Facts: every fact of int_claim_measures, summed over the unit's enrolees' claims discharged
-- (outpatient: visited) in the month. Quarters and the year are sums of these months.
WITH measures AS (
  SELECT * FROM {{ ref('int_claim_measures') }}
),

tree AS (
  SELECT * FROM {{ ref('int_unit_tree') }}
),

-- sums per village first: rolling a few thousand village-months up the tree is cheaper than
-- sending every claim to three units
village_months AS (
  SELECT village_code, month, sum(COLUMNS(* EXCLUDE (claim_id, village_code, facility_code, month)))
  FROM measures
  GROUP BY village_code, month
)

SELECT t.level, t.code, v.month, sum(COLUMNS(v.* EXCLUDE (village_code, month)))
FROM village_months v
JOIN tree t USING (village_code)
GROUP BY t.level, t.code, v.month
