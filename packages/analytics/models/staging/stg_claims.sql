-- stg_claims: hospital settlements (HIS 住院/门诊结算) as loaded.
-- Grain: one row per claim.
-- Columns: as the his extract (spec/extracts.md); outpatient visits carry their visit date in
-- discharge_date; scheme_year is the year of that date.
SELECT
  claim_id,
  person_id,
  name,
  facility_code,
  scheme_year,
  visit_type,
  admission_date,
  discharge_date,
  diagnosis_code,
  total_cost,
  drug_cost,
  eligible_cost,
  reimbursed,
  referral,
  single_disease_code
FROM claims
