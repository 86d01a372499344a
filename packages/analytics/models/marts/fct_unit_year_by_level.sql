-- fct_unit_year_by_level: inpatient stays and payouts of every unit broken down by the level of
-- the facility (payout_level of int_claims_attributed).
-- Grain: one row per level, unit code and payout_level with an inpatient claim of an enrolee.
-- materialized: table
-- Facts:
--   level_stays    inpatient claims at facilities of that level
--   level_payout   Σ reimbursed on them
SELECT t.level, t.code, c.payout_level, count(*) AS level_stays, sum(c.reimbursed) AS level_payout
FROM {{ ref('int_claims_expected') }} c
JOIN {{ ref('int_unit_tree') }} t USING (village_code)
WHERE c.enrolled AND c.visit_type = 'inpatient'
GROUP BY t.level, t.code, c.payout_level
