-- fct_unit_year_by_source: funding of every unit by fund source: what the ledger received, and
-- what the policy's standards expect from the unit's enrolees.
-- Grain: one row per level, unit code and fund source with income or expected contributions.
-- materialized: table
-- Facts:
--   source_received   Σ ledger income of the year from the source
--   source_expected   Σ over the unit's enrolees of their category's standard for the source
--                     (empty without a policy)
WITH received AS (
  SELECT level, code, category AS source, sum(amount) AS source_received
  FROM {{ ref('int_ledger_attributed') }}
  WHERE direction = 'in' AND list_contains({{ var('fund_sources') }}, category)
  GROUP BY level, code, category
),

village_categories AS (
  SELECT village_code, category, count(*) AS enrollees
  FROM {{ ref('int_enrollees') }}
  GROUP BY village_code, category
),

expected AS (
  SELECT t.level, t.code, s.source, sum(v.enrollees * s.amount_fen) AS expected_fen
  FROM village_categories v
  JOIN {{ ref('policy_standards') }} s USING (category)
  JOIN {{ ref('int_unit_tree') }} t USING (village_code)
  GROUP BY t.level, t.code, s.source
)

SELECT
  level,
  code,
  source,
  r.source_received,
  CAST(CAST(x.expected_fen AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS source_expected
FROM received r
FULL JOIN expected x USING (level, code, source)
