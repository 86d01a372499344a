-- stg_ledger: the fund ledger (基金收支明细) as loaded.
-- Grain: one row per ledger entry.
-- Columns: entry_id, scheme_year (the year the entry belongs to), entry_date, direction (in | out),
-- category (a fund source, interest or other for income; a payout kind or other for spending),
-- amount (元, > 0), division_code (6, 9 or 12 digits; NULL for county-level entries such as subsidies).
SELECT entry_id, year AS scheme_year, date AS entry_date, direction, category, amount, division_code
FROM ledger
