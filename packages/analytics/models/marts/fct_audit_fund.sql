-- fct_audit_fund: what the roll and fund rules (spec/audit-rules.md; catalogue AUDIT_RULES, scope
-- roll and fund) find for the county in the scheme year. They read the core tables only; the ID
-- conflicts are the roll rows the load quarantined as such (both rows of each conflict).
-- Grain: one row per finding: a quarantined roll line, a person, a month or a fund source.
-- materialized: table
-- Columns: code, subject (what the finding is about: file and line, month, fund source; NULL for a
-- person), person_id (id_holder_changed; masked when read), then
--   amount      the difference in 元 (HIS − ledger; received − expected), exact; NULL where none
--   persons     the difference in persons (subsidy_mismatch)
--   evidence    JSON text, the catalogue's evidence keys (names masked, money as exact text)
WITH roll_batches AS (
  -- the year of a roll file: the year of most of the rows it loaded
  SELECT batch_id, mode(year) AS year FROM enrollment GROUP BY batch_id
),

id_conflict AS (
  SELECT 'id_conflict' AS code, b.file_path || ' 第 ' || q.line || ' 行' AS subject, NULL::VARCHAR AS person_id,
    NULL::DECIMAL(18,2) AS amount, NULL::INTEGER AS persons,
    json_object('file', b.file_path, 'line', q.line, 'reason', q.reason) AS evidence
  FROM quarantine q
  JOIN batches b USING (batch_id)
  JOIN roll_batches r USING (batch_id)
  WHERE b.kind = 'enrollment' AND r.year = {{ var('year') }} AND starts_with(q.reason, '身份证号冲突')
),

-- a person_id whose name on this year's roll is not last year's
id_holder_changed AS (
  SELECT 'id_holder_changed' AS code, NULL::VARCHAR AS subject, e.person_id, NULL::DECIMAL(18,2) AS amount, NULL::INTEGER AS persons,
    json_object('previous_name', mask_name(p.name), 'name', mask_name(e.name), 'previous_village', p.division_code, 'village', e.division_code) AS evidence
  FROM enrollment e
  JOIN enrollment p ON p.person_id = e.person_id AND p.year = {{ var('year') }} - 1
  WHERE e.year = {{ var('year') }} AND p.name <> e.name
),

his_months AS (
  SELECT strftime(discharge_date, '%Y-%m') AS month, sum(reimbursed) AS his
  FROM {{ ref('stg_claims') }}
  WHERE scheme_year = {{ var('year') }}
  GROUP BY ALL
),

ledger_months AS (
  SELECT strftime(entry_date, '%Y-%m') AS month, sum(amount) AS ledger
  FROM {{ ref('stg_ledger') }}
  WHERE scheme_year = {{ var('year') }} AND direction = 'out' AND list_contains({{ var('payout_categories') }}, category)
  GROUP BY ALL
),

ledger_mismatch AS (
  SELECT 'ledger_mismatch' AS code, month AS subject, NULL::VARCHAR AS person_id,
    coalesce(h.his, 0) - coalesce(l.ledger, 0) AS amount, NULL::INTEGER AS persons,
    json_object('his', coalesce(h.his, 0)::DECIMAL(18,2)::VARCHAR, 'ledger', coalesce(l.ledger, 0)::DECIMAL(18,2)::VARCHAR) AS evidence
  FROM his_months h
  FULL JOIN ledger_months l USING (month)
  WHERE coalesce(h.his, 0) <> coalesce(l.ledger, 0)
),

-- the enrolees each source pays for (a standard above 0 for their category)
paid_for AS (
  SELECT s.source, count(*) AS persons, sum(s.amount_fen) AS expected_fen
  FROM {{ ref('int_enrollees') }} e
  JOIN {{ ref('policy_standards') }} s USING (category)
  WHERE s.amount_fen > 0
  GROUP BY s.source
),

received AS (
  SELECT category AS source, sum(amount) AS received
  FROM {{ ref('stg_ledger') }}
  WHERE scheme_year = {{ var('year') }} AND direction = 'in' AND list_contains({{ var('fund_sources') }}, category)
  GROUP BY ALL
),

subsidy_mismatch AS (
  SELECT 'subsidy_mismatch' AS code, source AS subject, NULL::VARCHAR AS person_id,
    coalesce(r.received, 0) - CAST(p.expected_fen AS DECIMAL(18,0)) * 0.01 AS amount,
    -- persons the money would pay for at the source's average standard, less the roll's
    CAST(round(coalesce(r.received, 0) * 100 * p.persons / p.expected_fen) AS INTEGER) - p.persons AS persons,
    json_object('received', coalesce(r.received, 0)::DECIMAL(18,2)::VARCHAR, 'expected', (CAST(p.expected_fen AS DECIMAL(18,0)) * 0.01)::DECIMAL(18,2)::VARCHAR,
      'enrollees', p.persons, 'implied_enrollees', CAST(round(coalesce(r.received, 0) * 100 * p.persons / p.expected_fen) AS INTEGER)) AS evidence
  FROM paid_for p
  LEFT JOIN received r USING (source)
  WHERE {{ var('has_policy') }} AND coalesce(r.received, 0) * 100 <> p.expected_fen
)

SELECT code, subject, person_id, CAST(amount AS DECIMAL(18,2)) AS amount, persons, CAST(evidence AS VARCHAR) AS evidence
FROM (
  SELECT * FROM id_conflict
  UNION ALL BY NAME SELECT * FROM id_holder_changed
  UNION ALL BY NAME SELECT * FROM ledger_mismatch
  UNION ALL BY NAME SELECT * FROM subsidy_mismatch
)
