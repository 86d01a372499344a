-- fct_audit_rules: what the audit rules (智能审核规则, spec/audit-rules.md; the catalogue is the
-- rules' AUDIT_RULES) flag among the year's claims of enrolees. Rules read the core tables only.
-- Grain: one row per flagged claim and rule code (a claim may carry several codes).
-- materialized: table
-- Columns: code, claim_id, person_id and name (personal data: masked when read), facility_code,
-- village_code, visit_type, discharge_date, reimbursed, then
--   amount_at_stake   exact to the fen, as the catalogue counts it for the code
--   evidence          JSON text, the catalogue's evidence keys (money as exact text)
WITH claims AS (
  SELECT
    c.claim_id, c.person_id, c.facility_code, c.village_code, c.visit_type, c.admission_date, c.discharge_date,
    c.total_cost, c.reimbursed, c.single_disease_code, c.diagnosis_code, f.facility_type,
    upper(replace(trim(c.diagnosis_code), '.', '')) AS dx,
    left(upper(replace(trim(c.diagnosis_code), '.', '')), 3) AS dx3,
    CASE WHEN c.level IS NULL THEN NULL WHEN NOT c.designated THEN 'non_designated' ELSE c.level END AS rule_level,
    -- sex (17th digit odd: male) and age at admission from an 18-digit ID number
    CASE WHEN length(c.person_id) = 18 THEN CASE WHEN CAST(substr(c.person_id, 17, 1) AS INTEGER) % 2 = 1 THEN 'male' ELSE 'female' END END AS sex,
    CASE WHEN length(c.person_id) = 18 THEN date_sub('year',
      make_date(CAST(substr(c.person_id, 7, 4) AS INTEGER), CAST(substr(c.person_id, 11, 2) AS INTEGER), CAST(substr(c.person_id, 13, 2) AS INTEGER)),
      coalesce(c.admission_date, c.discharge_date)) END AS age
  FROM {{ ref('int_claims_expected') }} c
  LEFT JOIN {{ ref('stg_facilities') }} f USING (facility_code)
  WHERE c.enrolled
),

inpatient AS (
  SELECT * FROM claims WHERE visit_type = 'inpatient'
),

-- inpatient stays of this year's and last year's claims: a pair may cross the year boundary;
-- the later stay is this year's enrolee's (`flaggable`)
stays AS (
  SELECT s.claim_id, s.person_id, s.facility_code, s.admission_date, s.discharge_date, s.reimbursed,
    left(upper(replace(trim(s.diagnosis_code), '.', '')), 3) AS dx3,
    s.claim_id IN (SELECT claim_id FROM inpatient) AS flaggable
  FROM {{ ref('stg_claims') }} s
  WHERE s.scheme_year IN ({{ var('year') }} - 1, {{ var('year') }}) AND s.visit_type = 'inpatient'
),

-- 超封顶线: the person-year's running Σ reimbursed in the order of policy.md step 7, against the
-- county's annual cap and the level's
running AS (
  SELECT i.*, l.annual_cap AS level_cap,
    coalesce(sum(reimbursed) OVER (PARTITION BY person_id ORDER BY discharge_date, claim_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS paid_before,
    coalesce(sum(reimbursed) OVER (PARTITION BY person_id, rule_level ORDER BY discharge_date, claim_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS level_paid_before
  FROM inpatient i
  LEFT JOIN {{ ref('policy_level_caps') }} l ON l.level = i.rule_level
),

over_cap AS (
  SELECT claim_id, 'over_cap' AS code,
    greatest(annual_excess, level_excess) AS amount_at_stake,
    CASE WHEN level_excess IS NULL OR annual_excess >= level_excess
      THEN json_object('cap', CAST({{ var('annual_cap') }} AS DECIMAL(18,2))::VARCHAR, 'paid_before', paid_before::VARCHAR, 'paid_after', (paid_before + reimbursed)::VARCHAR)
      ELSE json_object('cap', level_cap::VARCHAR, 'paid_before', level_paid_before::VARCHAR, 'paid_after', (level_paid_before + reimbursed)::VARCHAR)
    END AS evidence
  FROM (
    SELECT *,
      -- (least and greatest skip NULLs: no cap, no excess)
      CASE WHEN {{ var('annual_cap') }} IS NOT NULL THEN least(reimbursed, paid_before + reimbursed - {{ var('annual_cap') }}) END AS annual_excess,
      CASE WHEN level_cap IS NOT NULL THEN least(reimbursed, level_paid_before + reimbursed - level_cap) END AS level_excess
    FROM running
  )
  WHERE annual_excess > 0 OR level_excess > 0
),

-- 单病种未按定额结算: the first entry (policy order) whose level and diagnosis prefix match
single_disease AS (
  SELECT i.claim_id, 'single_disease_uncoded' AS code,
    least(p.fund_pays, i.total_cost) - i.reimbursed AS amount_at_stake,
    json_object('entry', p.code || ' ' || p.name, 'fixed_payment', least(p.fund_pays, i.total_cost)::VARCHAR, 'paid', i.reimbursed::VARCHAR) AS evidence
  FROM inpatient i
  JOIN {{ ref('policy_single_disease') }} p ON p.level = i.rule_level AND starts_with(i.dx, p.prefix)
  WHERE nullif(trim(i.single_disease_code), '') IS NULL
  QUALIFY row_number() OVER (PARTITION BY i.claim_id ORDER BY p.entry, p.prefix) = 1
),

-- 分解住院: the same person's previous stay at the facility with the same 3-character diagnosis
split_admission AS (
  SELECT s.claim_id, 'split_admission' AS code, s.reimbursed AS amount_at_stake,
    json_object('previous_claim_id', s.previous_claim_id, 'gap_days', s.admission_date - s.previous_discharge, 'diagnosis', s.dx3) AS evidence
  FROM (
    SELECT *,
      lag(claim_id) OVER w AS previous_claim_id,
      lag(discharge_date) OVER w AS previous_discharge
    FROM stays
    WHERE dx3 <> ''
    WINDOW w AS (PARTITION BY person_id, facility_code, dx3 ORDER BY admission_date, claim_id)
  ) s
  WHERE s.flaggable AND s.admission_date - s.previous_discharge BETWEEN 0 AND {{ var('audit_split_days') }}
),

-- 门诊可治病种住院: short stays for diagnoses an outpatient visit treats
minor_admission AS (
  SELECT claim_id, 'minor_admission' AS code, reimbursed AS amount_at_stake,
    json_object('diagnosis', diagnosis_code, 'days', greatest(discharge_date - admission_date, 1), 'cost', total_cost::VARCHAR) AS evidence
  FROM inpatient
  WHERE list_contains({{ var('audit_outpatient_diagnoses') }}, dx3)
    AND greatest(discharge_date - admission_date, 1) <= {{ var('audit_minor_max_days') }}
),

-- 住院时间重叠: [admission, discharge) of two stays share a day or more; listed on the later stay
-- (by admission, then claim_id) with the stay it overlaps most
overlapping_stays AS (
  SELECT b.claim_id, 'overlapping_stays' AS code,
    least(a.reimbursed, b.reimbursed) AS amount_at_stake,
    json_object('other_claim_id', a.claim_id, 'other_facility', a.facility_code, 'overlap_days', least(a.discharge_date, b.discharge_date) - b.admission_date) AS evidence
  FROM stays b
  JOIN stays a ON a.person_id = b.person_id
    AND (a.admission_date < b.admission_date OR (a.admission_date = b.admission_date AND a.claim_id < b.claim_id))
    AND a.discharge_date > b.admission_date
  WHERE b.flaggable AND least(a.discharge_date, b.discharge_date) - b.admission_date >= 1
  QUALIFY row_number() OVER (PARTITION BY b.claim_id ORDER BY least(a.discharge_date, b.discharge_date) - b.admission_date DESC, a.claim_id) = 1
),

-- 重复结算: same person, facility, dates and total cost; the later claim_id is listed
duplicate_claim AS (
  SELECT claim_id, 'duplicate_claim' AS code, reimbursed AS amount_at_stake,
    json_object('first_claim_id', first_claim_id, 'total_cost', total_cost::VARCHAR) AS evidence
  FROM (
    SELECT *, first_value(claim_id) OVER w AS first_claim_id, row_number() OVER w AS n
    FROM claims
    WINDOW w AS (PARTITION BY person_id, facility_code, admission_date, discharge_date, total_cost ORDER BY claim_id)
  )
  WHERE n > 1
),

-- 性别/年龄与诊断不符: the diagnoses the catalogue's bounds say a sex or an age contradicts
bounds AS (
  SELECT c.claim_id, b.code, c.reimbursed AS amount_at_stake,
    CASE WHEN b.code = 'sex_mismatch' THEN json_object('sex', CASE c.sex WHEN 'male' THEN '男' ELSE '女' END, 'diagnosis', c.diagnosis_code)
      ELSE json_object('age', c.age, 'diagnosis', c.diagnosis_code) END AS evidence
  FROM claims c
  JOIN {{ ref('audit_diagnosis_bounds') }} b ON c.dx3 BETWEEN b.from_code AND b.to_code
  WHERE (b.sex IS NOT NULL AND c.sex = b.sex) OR (b.sex IS NULL AND (c.age < b.min_age OR c.age > b.max_age))
  QUALIFY row_number() OVER (PARTITION BY c.claim_id, b.code ORDER BY b.from_code) = 1
),

-- 超出机构收治范围: inpatient stays where there are no beds; men of 15 or more at the 妇幼保健院
facility_scope AS (
  SELECT claim_id, 'facility_scope' AS code, reimbursed AS amount_at_stake,
    json_object('facility_type', facility_type, 'age', age, 'sex', CASE sex WHEN 'male' THEN '男' WHEN 'female' THEN '女' END) AS evidence
  FROM claims
  WHERE (facility_type = 'clinic' AND visit_type = 'inpatient') OR (facility_type = 'mch' AND sex = 'male' AND age >= 15)
),

hits AS (
  SELECT * FROM over_cap
  UNION ALL BY NAME SELECT * FROM single_disease
  UNION ALL BY NAME SELECT * FROM split_admission
  UNION ALL BY NAME SELECT * FROM minor_admission
  UNION ALL BY NAME SELECT * FROM overlapping_stays
  UNION ALL BY NAME SELECT * FROM duplicate_claim
  UNION ALL BY NAME SELECT * FROM bounds
  UNION ALL BY NAME SELECT * FROM facility_scope
),

-- the patient's name, for the few claims listed
names AS (
  SELECT claim_id, name FROM {{ ref('stg_claims') }}
  WHERE scheme_year = {{ var('year') }} AND claim_id IN (SELECT claim_id FROM hits)
)

SELECT h.code, h.claim_id, c.person_id, coalesce(n.name, e.name) AS name, c.facility_code, c.village_code, c.visit_type, c.discharge_date, c.reimbursed,
  CAST(h.amount_at_stake AS DECIMAL(18,2)) AS amount_at_stake,
  CAST(h.evidence AS VARCHAR) AS evidence
FROM hits h
JOIN claims c USING (claim_id)
LEFT JOIN names n USING (claim_id)
-- the roll's name where the HIS gives none
LEFT JOIN enrollment e ON e.person_id = c.person_id AND e.year = {{ var('year') }}
