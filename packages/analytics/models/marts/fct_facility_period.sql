-- fct_facility_period: the supervision facts of every facility with claims of the year's enrolees
-- (医疗机构监管), for the year and for each discharge month, over the whole county's enrolees and
-- over each township's (spec: `township=` at facility grain restricts the figures to its enrolees).
-- Grain: one row per area (the county's 6-digit code, or a township's 9-digit one), facility code (in
-- the registry or not), period_type (year | month) and period (YYYY or YYYY-MM).
-- materialized: table
-- Besides every fact of int_claim_measures summed over the facility's claims of enrolees, it defines:
-- Facts:
--   area                       the county's code (every enrolee) or a township's (its enrolees)
--   facility_level             the registry's level (empty for a facility not in it)
--   in_county                  the facility is inside the county
--   designated                 the facility is designated (定点)
--   inpatient_persons          distinct enrolees with an inpatient stay at the facility
--   readmissions_15d           stays admitted 0–15 days after the discharge of the same person's previous
--                              stay at the facility (in order of admission date, then claim_id; the
--                              previous stay may be last year's)
--   drug_share_breach_months   months whose discharged inpatients' drug share is strictly above
--                              max_drug_share (empty without the policy's limit)
--   county_payouts_total       the area's payouts_total of the same period (the county's, or the township's)
-- Rows carry the registry's name as `name` (empty for a facility not in it).
-- Year rows also carry prev_inpatient_stays and prev_inpatient_cost, as the units' (evaluate/facts.ts):
-- last year's stays of last year's enrolees of the area at the facility and their total cost.
WITH areas AS (
  -- each enrolee's claims count for the county and for their township
  SELECT DISTINCT village_code, unnest([left(village_code, 6), left(village_code, 9)]) AS area
  FROM {{ ref('int_enrollees') }}
),

-- the claims' facts summed per village, facility and month first: far fewer rows to send to two areas
village_measures AS (
  SELECT village_code, facility_code, month, sum(COLUMNS(* EXCLUDE (claim_id, village_code, facility_code, month)))
  FROM {{ ref('int_claim_measures') }}
  GROUP BY village_code, facility_code, month
),

measures AS (
  SELECT a.area, m.* EXCLUDE (village_code)
  FROM village_measures m JOIN areas a USING (village_code)
),

-- persons and readmissions are about stays only
claims AS (
  SELECT claim_id, person_id, facility_code, village_code, strftime(discharge_date, '%Y-%m') AS month
  FROM {{ ref('int_claims_expected') }}
  WHERE enrolled AND visit_type = 'inpatient'
),

-- every inpatient stay at a facility of last year and this one, beside the previous stay's discharge
stays AS (
  SELECT claim_id, scheme_year, admission_date,
    lag(discharge_date) OVER (PARTITION BY person_id, facility_code ORDER BY admission_date, claim_id) AS previous_discharge
  FROM {{ ref('stg_claims') }}
  WHERE visit_type = 'inpatient' AND scheme_year BETWEEN {{ var('year') }} - 1 AND {{ var('year') }}
),

readmitted AS (
  SELECT claim_id FROM stays
  WHERE scheme_year = {{ var('year') }} AND admission_date - previous_discharge BETWEEN 0 AND 15
),

flagged AS (
  SELECT a.area, c.*, c.claim_id IN (SELECT claim_id FROM readmitted) AS readmission
  FROM claims c JOIN areas a USING (village_code)
),

breaches AS (
  SELECT facility_code, month
  FROM {{ ref('fct_facility_month_drug') }}
  WHERE {{ var('max_drug_share') }} IS NOT NULL AND month_drug_base > 0 AND month_drug_cost > {{ var('max_drug_share') }} * month_drug_base
),

months AS (
  SELECT m.area, m.facility_code, 'month' AS period_type, m.month AS period, sum(COLUMNS(m.* EXCLUDE (area, facility_code, month)))
  FROM measures m
  GROUP BY m.area, m.facility_code, m.month
),

month_people AS (
  SELECT area, facility_code, month AS period,
    count(DISTINCT person_id) AS inpatient_persons,
    count(*) FILTER (readmission) AS readmissions_15d
  FROM flagged
  GROUP BY area, facility_code, month
),

years AS (
  SELECT m.area, m.facility_code, 'year' AS period_type, CAST({{ var('year') }} AS VARCHAR) AS period, sum(COLUMNS(m.* EXCLUDE (area, facility_code, month)))
  FROM measures m
  GROUP BY m.area, m.facility_code
),

year_people AS (
  SELECT area, facility_code, CAST({{ var('year') }} AS VARCHAR) AS period,
    count(DISTINCT person_id) AS inpatient_persons,
    count(*) FILTER (readmission) AS readmissions_15d
  FROM flagged
  GROUP BY area, facility_code
),

-- a period with visits only has no stays: no persons, no readmissions
periods AS (
  SELECT p.*, coalesce(q.inpatient_persons, 0) AS inpatient_persons, coalesce(q.readmissions_15d, 0) AS readmissions_15d
  FROM months p LEFT JOIN month_people q USING (area, facility_code, period)
  UNION ALL BY NAME
  SELECT p.*, coalesce(q.inpatient_persons, 0) AS inpatient_persons, coalesce(q.readmissions_15d, 0) AS readmissions_15d
  FROM years p LEFT JOIN year_people q USING (area, facility_code, period)
),

area_totals AS (
  SELECT area, 'month' AS period_type, month AS period, sum(payouts_total) AS county_payouts_total FROM measures GROUP BY area, month
  UNION ALL
  SELECT area, 'year', CAST({{ var('year') }} AS VARCHAR), sum(payouts_total) FROM measures GROUP BY area
),

-- last year's stays of last year's enrolees at each facility, per area (the growth of the cost per stay)
previous AS (
  SELECT a.area, c.facility_code, count(*) AS prev_inpatient_stays, sum(c.total_cost) AS prev_inpatient_cost
  FROM (SELECT person_id, facility_code, total_cost FROM {{ ref('stg_claims') }} WHERE scheme_year = {{ var('year') }} - 1 AND visit_type = 'inpatient') c
  JOIN (SELECT person_id, village_code FROM {{ ref('stg_enrollment') }} WHERE scheme_year = {{ var('year') }} - 1) e USING (person_id)
  CROSS JOIN LATERAL (SELECT unnest([left(e.village_code, 6), left(e.village_code, 9)]) AS area) a
  GROUP BY a.area, c.facility_code
)

SELECT
  p.*,
  f.facility_name AS name,
  f.level AS facility_level,
  f.in_county,
  f.designated,
  CASE WHEN {{ var('max_drug_share') }} IS NULL THEN NULL
    WHEN p.period_type = 'month' THEN CAST(EXISTS (SELECT 1 FROM breaches b WHERE b.facility_code = p.facility_code AND b.month = p.period) AS INTEGER)
    ELSE (SELECT count(*) FROM breaches b WHERE b.facility_code = p.facility_code)
  END AS drug_share_breach_months,
  t.county_payouts_total,
  CASE WHEN p.period_type = 'year' THEN v.prev_inpatient_stays END AS prev_inpatient_stays,
  CASE WHEN p.period_type = 'year' THEN v.prev_inpatient_cost END AS prev_inpatient_cost
FROM periods p
LEFT JOIN {{ ref('stg_facilities') }} f USING (facility_code)
LEFT JOIN area_totals t ON t.area = p.area AND t.period_type = p.period_type AND t.period = p.period
LEFT JOIN previous v ON v.area = p.area AND v.facility_code = p.facility_code
