-- int_person_year: each enrolee's claims of the year taken together.
-- Grain: one row per enrolee with at least one claim in the scheme year.
-- materialized: table
-- Columns:
--   village_code, person_id
--   inpatient_payout  Σ reimbursed of the person's inpatient claims (single-disease payments included)
--   out_of_pocket     Σ (total_cost − reimbursed) over all the person's claims
--   benefited         the person was paid something (reimbursed > 0 on any claim)
SELECT
  village_code,
  person_id,
  sum(reimbursed) FILTER (visit_type = 'inpatient') AS inpatient_payout,
  sum(total_cost - reimbursed) AS out_of_pocket,
  bool_or(reimbursed > 0) AS benefited
FROM {{ ref('int_claims_expected') }}
WHERE enrolled
GROUP BY village_code, person_id
