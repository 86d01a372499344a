-- int_claim_measures: each enrolee claim's contribution to the additive facts, so that a fact is
-- the plain sum of one column over any set of claims (a unit, a month, a quarter, a year).
-- Grain: one row per claim of an enrolee in the scheme year.
-- Columns: claim_id (so a claim's facts can be summed by anything else known of it: the
-- enrolee's category, the diagnosis), village_code, facility_code, month (YYYY-MM of the
-- discharge or visit date), then the facts.
-- Facts:
--   inpatient_stays                 住院人次: inpatient claims
--   inpatient_cost                  Σ total_cost of inpatient claims
--   inpatient_eligible_cost         Σ eligible_cost (政策范围内费用) of inpatient claims
--   inpatient_payout                Σ reimbursed of inpatient claims, as settled
--   stay_days                       Σ (discharge − admission, at least 1 day) of inpatient claims
--   outpatient_visits               门诊人次: outpatient claims
--   outpatient_payout               Σ reimbursed of outpatient claims
--   outpatient_cost                 Σ total_cost of outpatient claims
--   payouts_total                   基金支出: Σ reimbursed of every claim
--   family_account_payouts          家庭账户支出: Σ reimbursed of outpatient claims in a year whose policy
--                                   pays outpatient care from household accounts (0 otherwise)
--   pooled_payouts                  统筹基金支出: payouts_total − family_account_payouts
--   pooled_eligible_cost            医保范围费用 of the pool's claims: eligible_cost of every claim but the
--                                   outpatient ones household accounts pay
--   inpatient_drug_cost             Σ drug_cost of inpatient claims with a known drug cost (empty without any)
--   inpatient_drug_base             Σ total_cost of those same claims
--   in_county_stays                 inpatient claims at facilities inside the county
--   out_of_county_stays             inpatient claims at facilities outside the county
--   referred_out_of_county_stays    of those, the ones with a referral (转诊)
--   subsidized_inpatient_payout     inpatient payout of subsidised enrolees
--   subsidized_inpatient_eligible_cost  their inpatient eligible cost
--   general_inpatient_payout        inpatient payout of general enrolees
--   general_inpatient_eligible_cost     their inpatient eligible cost
--   audit_underpaid_count           claims paid at least 0.01 元 less than the policy gives (empty without a policy)
--   audit_underpaid_amount          what they were short: the refund due to patients
--   audit_overpaid_count            claims paid at least 0.01 元 more than the policy gives
--   audit_overpaid_amount           by how much
WITH claims AS (
  SELECT * FROM {{ ref('int_claims_expected') }} WHERE enrolled
),

flagged AS (
  SELECT
    *,
    visit_type = 'inpatient' AS inp,
    visit_type = 'outpatient' AS outp,
    reimbursed - expected_payout AS difference
  FROM claims
),

final AS (
  SELECT
    claim_id,
    village_code,
    facility_code,
    strftime(discharge_date, '%Y-%m') AS month,
    -- inpatient
    CASE WHEN inp THEN 1 ELSE 0 END AS inpatient_stays,
    CASE WHEN inp THEN total_cost ELSE 0 END AS inpatient_cost,
    CASE WHEN inp THEN eligible_cost ELSE 0 END AS inpatient_eligible_cost,
    CASE WHEN inp THEN reimbursed ELSE 0 END AS inpatient_payout,
    CASE WHEN inp THEN greatest(discharge_date - admission_date, 1) ELSE 0 END AS stay_days,
    -- outpatient
    CASE WHEN outp THEN 1 ELSE 0 END AS outpatient_visits,
    CASE WHEN outp THEN reimbursed ELSE 0 END AS outpatient_payout,
    CASE WHEN outp THEN total_cost ELSE 0 END AS outpatient_cost,
    reimbursed AS payouts_total,
    CASE WHEN outp AND {{ var('family_account') }} THEN reimbursed ELSE 0 END AS family_account_payouts,
    CASE WHEN outp AND {{ var('family_account') }} THEN 0 ELSE reimbursed END AS pooled_payouts,
    CASE WHEN outp AND {{ var('family_account') }} THEN 0 ELSE eligible_cost END AS pooled_eligible_cost,
    -- drug share: only claims that state their drug cost
    CASE WHEN inp AND drug_cost IS NOT NULL THEN drug_cost END AS inpatient_drug_cost,
    CASE WHEN inp AND drug_cost IS NOT NULL THEN total_cost END AS inpatient_drug_base,
    -- where people are treated
    CASE WHEN inp AND in_county THEN 1 ELSE 0 END AS in_county_stays,
    CASE WHEN inp AND NOT in_county THEN 1 ELSE 0 END AS out_of_county_stays,
    CASE WHEN inp AND NOT in_county AND referral THEN 1 ELSE 0 END AS referred_out_of_county_stays,
    -- subsidised and general enrolees
    CASE WHEN inp AND subsidized THEN reimbursed ELSE 0 END AS subsidized_inpatient_payout,
    CASE WHEN inp AND subsidized THEN eligible_cost ELSE 0 END AS subsidized_inpatient_eligible_cost,
    CASE WHEN inp AND NOT subsidized THEN reimbursed ELSE 0 END AS general_inpatient_payout,
    CASE WHEN inp AND NOT subsidized THEN eligible_cost ELSE 0 END AS general_inpatient_eligible_cost,
    -- audit: settled against the policy (empty without one)
    CASE WHEN difference IS NULL THEN NULL WHEN difference <= -0.01 THEN 1 ELSE 0 END AS audit_underpaid_count,
    CASE WHEN difference IS NULL THEN NULL WHEN difference <= -0.01 THEN -difference ELSE 0 END AS audit_underpaid_amount,
    CASE WHEN difference IS NULL THEN NULL WHEN difference >= 0.01 THEN 1 ELSE 0 END AS audit_overpaid_count,
    CASE WHEN difference IS NULL THEN NULL WHEN difference >= 0.01 THEN difference ELSE 0 END AS audit_overpaid_amount
  FROM flagged
)

SELECT * FROM final
