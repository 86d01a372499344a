-- int_ledger_attributed: the year's ledger entries and the units they belong to. An entry with no
-- division code (government subsidies, interest) belongs to the county; a coded entry belongs to
-- every unit its code lies in.
-- Grain: one row per ledger entry of the scheme year and unit.
-- Columns: level, code, then as stg_ledger.
WITH ledger AS (
  SELECT * FROM {{ ref('stg_ledger') }} WHERE scheme_year = {{ var('year') }}
),

units AS (
  SELECT level, code FROM {{ ref('int_units') }}
)

SELECT u.level, u.code, l.*
FROM ledger l
JOIN units u
  ON (u.level = 'county' AND (l.division_code IS NULL OR left(l.division_code, 6) = u.code))
  OR (u.level = 'township' AND left(l.division_code, 9) = u.code)
  OR (u.level = 'village' AND l.division_code = u.code)
