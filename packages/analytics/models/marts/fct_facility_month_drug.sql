-- fct_facility_month_drug: drug cost against total cost per facility and discharge month, over the
-- year's discharged inpatients whose claims state their drug cost (the drug-share rule judges
-- 每月出院患者 of a facility; outpatient visits are not counted).
-- Grain: one row per facility and month (YYYY-MM).
-- materialized: table
-- Facts:
--   month_drug_cost   Σ drug_cost
--   month_drug_base   Σ total_cost of the same claims
SELECT
  facility_code,
  strftime(discharge_date, '%Y-%m') AS month,
  sum(drug_cost) AS month_drug_cost,
  sum(total_cost) AS month_drug_base
FROM {{ ref('int_claims_expected') }}
WHERE drug_cost IS NOT NULL AND visit_type = 'inpatient'
GROUP BY facility_code, month
