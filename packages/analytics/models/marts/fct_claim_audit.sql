-- fct_claim_audit: the claims the audit (审核) has something to say about: settled differently from
-- what the policy gives, paid to a person not enrolled that year, or at a facility the registry does
-- not know or does not designate. Needs a policy (no rows without one).
-- Grain: one row per such claim of the scheme year.
-- materialized: table
-- Columns: claim_id, person_id and name (personal data: masked when read), facility_code, visit_type,
-- discharge_date, village_code (of the person's enrolment; empty when not enrolled), then
--   expected_payout   应补偿金额: by the policy engine
--   settled           reimbursed, as the hospital settled it
--   difference        差额: settled − expected_payout (exact; < 0: the patient is owed the refund)
--   findings          审核结论 codes (rules: FINDING): underpaid, overpaid, non_enrolled,
--                     unknown_facility, not_designated
WITH judged AS (
  SELECT *, reimbursed - expected_payout AS difference
  FROM {{ ref('int_claims_expected') }}
  WHERE expected_payout IS NOT NULL
),

flagged AS (
  SELECT * FROM judged
  WHERE difference <> 0 OR NOT enrolled OR level IS NULL OR NOT designated
),

-- the patient's name, for the few claims listed
names AS (
  SELECT claim_id, name FROM {{ ref('stg_claims') }}
  WHERE scheme_year = {{ var('year') }} AND claim_id IN (SELECT claim_id FROM flagged)
)

SELECT
  claim_id, person_id, s.name, facility_code, visit_type, discharge_date, village_code,
  expected_payout,
  reimbursed AS settled,
  difference,
  list_filter([
    CASE WHEN difference <= -0.01 THEN 'underpaid' WHEN difference >= 0.01 THEN 'overpaid' END,
    CASE WHEN NOT enrolled THEN 'non_enrolled' END,
    CASE WHEN level IS NULL THEN 'unknown_facility' END,
    CASE WHEN NOT designated THEN 'not_designated' END
  ], x -> x IS NOT NULL) AS findings
FROM flagged
LEFT JOIN names s USING (claim_id)
