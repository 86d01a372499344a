-- fct_unit_year: every scalar fact of every unit for the scheme year.
-- Grain: one row per level and unit code of int_units.
-- materialized: table
-- Besides the facts of int_units (name, agricultural_population, in_census, per_capita_net_income)
-- and those of int_claim_measures summed over the year, it defines:
-- Facts:
--   enrollees                 参合人数: the year's enrolees of the unit
--   census_enrollees          those of villages in the census (participation counts only these)
--   households                参合户数: their distinct households
--   subsidized_enrollees      enrolees whose category is not general
--   village_reward            村级奖励 (元): per census village, enrollees × the policy tier its
--                             participation reaches; summed above a village (empty without a policy)
--   pooled_payouts_first_month  the pooled payouts of claims discharged in January (the insurer's
--                             pre-settlement schedule reads it)
--   beneficiaries             受益人数: enrolees paid something in the year
--   catastrophic_persons      enrolees whose out-of-pocket reaches 40 % of their village's income
--   large_at_cap              enrolees whose inpatient payout reaches the policy's annual cap
--   funds_raised              Σ ledger income of the year from the fund sources (interest, other excluded)
--   income_all                Σ every ledger income of the year
--   family_account_mode       the year's policy pays outpatient care from household accounts
--   family_account_funds      家庭账户资金: the per-capita share × enrollees under household accounts, else 0
--   non_enrolled_count        (county) claims of persons not enrolled that year
--   non_enrolled_amount       (county) what was paid on them
--   drug_share_breaches       (county, with the policy's limit) facility-months above max_drug_share
--   months                    m: the month of the latest discharge of the year, 12 once a claim
--                             discharged in December of the year or later is loaded
WITH units AS (
  SELECT * FROM {{ ref('int_units') }}
),

tree AS (
  SELECT * FROM {{ ref('int_unit_tree') }}
),

enrollees AS (
  SELECT * FROM {{ ref('int_enrollees') }}
),

census AS (
  SELECT * FROM {{ ref('stg_census') }} WHERE census_year = {{ var('census_year') }}
),

village_enrolment AS (
  SELECT village_code, count(*) AS enrollees, count(*) FILTER (subsidized) AS subsidized_enrollees
  FROM enrollees
  GROUP BY village_code
),

census_village_codes AS (
  SELECT DISTINCT village_code FROM census
),

-- A household counts once in a unit even when its members enrolled in two of its villages.
-- Nearly every household lives in one village: those are counted per village and summed up the
-- tree; the few spread over villages are counted distinctly per unit.
household_villages AS (
  SELECT household_id, min(village_code) AS first_village, max(village_code) AS last_village
  FROM enrollees
  GROUP BY household_id
),

households AS (
  SELECT t.level, t.code, sum(n) AS households
  FROM (
    SELECT t.level, t.code, count(*) AS n
    FROM household_villages h JOIN tree t ON t.village_code = h.first_village
    WHERE h.first_village = h.last_village
    GROUP BY t.level, t.code
    UNION ALL
    SELECT t.level, t.code, count(DISTINCT e.household_id)
    FROM enrollees e JOIN tree t USING (village_code)
    WHERE e.household_id IN (SELECT household_id FROM household_villages WHERE first_village <> last_village)
    GROUP BY t.level, t.code
  ) t
  GROUP BY t.level, t.code
),

enrolment AS (
  SELECT t.level, t.code, sum(v.enrollees) AS enrollees, sum(v.subsidized_enrollees) AS subsidized_enrollees,
    sum(v.enrollees) FILTER (v.village_code IN (SELECT village_code FROM census_village_codes)) AS census_enrollees
  FROM village_enrolment v
  JOIN tree t USING (village_code)
  GROUP BY t.level, t.code
),

census_villages AS (
  SELECT c.village_code, c.agricultural_population, coalesce(n.enrollees, 0) AS enrollees
  FROM census c
  LEFT JOIN village_enrolment n USING (village_code)
),

-- the highest tier a village reaches (enrollees ≥ min_rate × agricultural population, exactly)
village_rewards AS (
  SELECT v.village_code,
    CASE WHEN {{ var('has_policy') }} THEN v.enrollees * coalesce(max_by(r.per_enrollee_fen, r.min_rate_bp), 0) END AS reward_fen
  FROM census_villages v
  LEFT JOIN {{ ref('policy_reward_tiers') }} r ON v.enrollees * 10000 >= r.min_rate_bp * v.agricultural_population
  GROUP BY v.village_code, v.enrollees
),

rewards AS (
  SELECT t.level, t.code, sum(r.reward_fen) AS reward_fen
  FROM village_rewards r
  JOIN tree t USING (village_code)
  GROUP BY t.level, t.code
),

claims AS (
  SELECT level, code, sum(COLUMNS(* EXCLUDE (level, code, month)))
  FROM {{ ref('fct_unit_month') }}
  GROUP BY level, code
),

first_month AS (
  SELECT level, code, pooled_payouts AS pooled_payouts_first_month
  FROM {{ ref('fct_unit_month') }}
  WHERE month = printf('%d-01', {{ var('year') }})
),

village_persons AS (
  SELECT p.village_code,
    count(*) FILTER (p.benefited) AS beneficiaries,
    -- 灾难性医疗支出: out of pocket at least 40 % of the village's per-capita net income
    count(*) FILTER (p.out_of_pocket >= 0.4 * c.per_capita_net_income) AS catastrophic_persons,
    count(*) FILTER (p.inpatient_payout >= {{ var('annual_cap') }}) AS large_at_cap
  FROM {{ ref('int_person_year') }} p
  LEFT JOIN census c USING (village_code)
  GROUP BY p.village_code
),

persons AS (
  SELECT t.level, t.code, sum(COLUMNS(v.* EXCLUDE (village_code)))
  FROM village_persons v
  JOIN tree t USING (village_code)
  GROUP BY t.level, t.code
),

ledger AS (
  SELECT level, code,
    sum(amount) FILTER (direction = 'in' AND list_contains({{ var('fund_sources') }}, category)) AS funds_raised,
    sum(amount) FILTER (direction = 'in') AS income_all
  FROM {{ ref('int_ledger_attributed') }}
  GROUP BY level, code
),

non_enrolled AS (
  SELECT count(*) AS non_enrolled_count, coalesce(sum(reimbursed), 0) AS non_enrolled_amount
  FROM {{ ref('int_claims_expected') }}
  WHERE NOT enrolled
),

drug_breaches AS (
  SELECT count(*) AS drug_share_breaches
  FROM {{ ref('fct_facility_month_drug') }}
  WHERE month_drug_base > 0 AND month_drug_cost > {{ var('max_drug_share') }} * month_drug_base
),

year_progress AS (
  SELECT CASE
    WHEN (SELECT max(discharge_date) FROM {{ ref('stg_claims') }}) >= make_date({{ var('year') }}, 12, 1) THEN 12
    ELSE coalesce((SELECT month(max(discharge_date)) FROM {{ ref('int_claims_expected') }}), 12)
  END AS months
),

final AS (
  SELECT
    u.*,
    coalesce(e.enrollees, 0) AS enrollees,
    coalesce(e.census_enrollees, 0) AS census_enrollees,
    coalesce(h.households, 0) AS households,
    coalesce(e.subsidized_enrollees, 0) AS subsidized_enrollees,
    CAST(CAST(r.reward_fen AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS village_reward,
    coalesce(COLUMNS(cl.* EXCLUDE (level, code)), 0),
    coalesce(fm.pooled_payouts_first_month, 0) AS pooled_payouts_first_month,
    coalesce(p.beneficiaries, 0) AS beneficiaries,
    coalesce(p.catastrophic_persons, 0) AS catastrophic_persons,
    CASE WHEN {{ var('annual_cap') }} IS NOT NULL THEN coalesce(p.large_at_cap, 0) END AS large_at_cap,
    coalesce(l.funds_raised, 0) AS funds_raised,
    coalesce(l.income_all, 0) AS income_all,
    {{ var('family_account') }} AS family_account_mode,
    CASE WHEN {{ var('family_account') }}
      THEN CAST(CAST(coalesce(e.enrollees, 0) * {{ var('family_account_per_capita_fen') }} AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2))
      ELSE 0.00::DECIMAL(18,2)
    END AS family_account_funds,
    CASE WHEN u.level = 'county' THEN ne.non_enrolled_count END AS non_enrolled_count,
    CASE WHEN u.level = 'county' THEN ne.non_enrolled_amount END AS non_enrolled_amount,
    CASE WHEN u.level = 'county' AND {{ var('max_drug_share') }} IS NOT NULL THEN db.drug_share_breaches END AS drug_share_breaches,
    yp.months
  FROM units u
  LEFT JOIN enrolment e USING (level, code)
  LEFT JOIN households h USING (level, code)
  LEFT JOIN rewards r USING (level, code)
  LEFT JOIN claims cl USING (level, code)
  LEFT JOIN first_month fm USING (level, code)
  LEFT JOIN persons p USING (level, code)
  LEFT JOIN ledger l USING (level, code)
  CROSS JOIN non_enrolled ne
  CROSS JOIN drug_breaches db
  CROSS JOIN year_progress yp
)

SELECT * FROM final
