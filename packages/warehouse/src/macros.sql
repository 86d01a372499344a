-- The SQL helpers as they are today, applied on every read-write open (CREATE OR REPLACE), so
-- nobody reads the migration history to learn what a macro does. Pure functions of their
-- arguments. Migrations keep the tables; a change to a helper is made here.

-- ── ID numbers (GB 11643) ────────────────────────────────────────────────────
-- The 18 characters as a number, a final X read as 0; NULL when the first 17 are not digits.
CREATE OR REPLACE MACRO gb11643_digits(s) AS coalesce(TRY_CAST(s AS BIGINT), TRY_CAST(substr(s, 1, 17) AS BIGINT) * 10);
-- 4a + 2b + c for the three digits abc of c = 0 … 999.
CREATE OR REPLACE MACRO gb11643_group(c) AS list_extract([0,1,2,3,4,5,6,7,8,9,2,3,4,5,6,7,8,9,10,11,4,5,6,7,8,9,10,11,12,13,6,7,8,9,10,11,12,13,14,15,8,9,10,11,12,13,14,15,16,17,10,11,12,13,14,15,16,17,18,19,12,13,14,15,16,17,18,19,20,21,14,15,16,17,18,19,20,21,22,23,16,17,18,19,20,21,22,23,24,25,18,19,20,21,22,23,24,25,26,27,4,5,6,7,8,9,10,11,12,13,6,7,8,9,10,11,12,13,14,15,8,9,10,11,12,13,14,15,16,17,10,11,12,13,14,15,16,17,18,19,12,13,14,15,16,17,18,19,20,21,14,15,16,17,18,19,20,21,22,23,16,17,18,19,20,21,22,23,24,25,18,19,20,21,22,23,24,25,26,27,20,21,22,23,24,25,26,27,28,29,22,23,24,25,26,27,28,29,30,31,8,9,10,11,12,13,14,15,16,17,10,11,12,13,14,15,16,17,18,19,12,13,14,15,16,17,18,19,20,21,14,15,16,17,18,19,20,21,22,23,16,17,18,19,20,21,22,23,24,25,18,19,20,21,22,23,24,25,26,27,20,21,22,23,24,25,26,27,28,29,22,23,24,25,26,27,28,29,30,31,24,25,26,27,28,29,30,31,32,33,26,27,28,29,30,31,32,33,34,35,12,13,14,15,16,17,18,19,20,21,14,15,16,17,18,19,20,21,22,23,16,17,18,19,20,21,22,23,24,25,18,19,20,21,22,23,24,25,26,27,20,21,22,23,24,25,26,27,28,29,22,23,24,25,26,27,28,29,30,31,24,25,26,27,28,29,30,31,32,33,26,27,28,29,30,31,32,33,34,35,28,29,30,31,32,33,34,35,36,37,30,31,32,33,34,35,36,37,38,39,16,17,18,19,20,21,22,23,24,25,18,19,20,21,22,23,24,25,26,27,20,21,22,23,24,25,26,27,28,29,22,23,24,25,26,27,28,29,30,31,24,25,26,27,28,29,30,31,32,33,26,27,28,29,30,31,32,33,34,35,28,29,30,31,32,33,34,35,36,37,30,31,32,33,34,35,36,37,38,39,32,33,34,35,36,37,38,39,40,41,34,35,36,37,38,39,40,41,42,43,20,21,22,23,24,25,26,27,28,29,22,23,24,25,26,27,28,29,30,31,24,25,26,27,28,29,30,31,32,33,26,27,28,29,30,31,32,33,34,35,28,29,30,31,32,33,34,35,36,37,30,31,32,33,34,35,36,37,38,39,32,33,34,35,36,37,38,39,40,41,34,35,36,37,38,39,40,41,42,43,36,37,38,39,40,41,42,43,44,45,38,39,40,41,42,43,44,45,46,47,24,25,26,27,28,29,30,31,32,33,26,27,28,29,30,31,32,33,34,35,28,29,30,31,32,33,34,35,36,37,30,31,32,33,34,35,36,37,38,39,32,33,34,35,36,37,38,39,40,41,34,35,36,37,38,39,40,41,42,43,36,37,38,39,40,41,42,43,44,45,38,39,40,41,42,43,44,45,46,47,40,41,42,43,44,45,46,47,48,49,42,43,44,45,46,47,48,49,50,51,28,29,30,31,32,33,34,35,36,37,30,31,32,33,34,35,36,37,38,39,32,33,34,35,36,37,38,39,40,41,34,35,36,37,38,39,40,41,42,43,36,37,38,39,40,41,42,43,44,45,38,39,40,41,42,43,44,45,46,47,40,41,42,43,44,45,46,47,48,49,42,43,44,45,46,47,48,49,50,51,44,45,46,47,48,49,50,51,52,53,46,47,48,49,50,51,52,53,54,55,32,33,34,35,36,37,38,39,40,41,34,35,36,37,38,39,40,41,42,43,36,37,38,39,40,41,42,43,44,45,38,39,40,41,42,43,44,45,46,47,40,41,42,43,44,45,46,47,48,49,42,43,44,45,46,47,48,49,50,51,44,45,46,47,48,49,50,51,52,53,46,47,48,49,50,51,52,53,54,55,48,49,50,51,52,53,54,55,56,57,50,51,52,53,54,55,56,57,58,59,36,37,38,39,40,41,42,43,44,45,38,39,40,41,42,43,44,45,46,47,40,41,42,43,44,45,46,47,48,49,42,43,44,45,46,47,48,49,50,51,44,45,46,47,48,49,50,51,52,53,46,47,48,49,50,51,52,53,54,55,48,49,50,51,52,53,54,55,56,57,50,51,52,53,54,55,56,57,58,59,52,53,54,55,56,57,58,59,60,61,54,55,56,57,58,59,60,61,62,63], c + 1);
-- Valid when Σ dᵢ·2^(18−i) + (10 for a final X) ≡ 1 (mod 11): the weights 7 9 10 5 8 4 2 1 6 3 …
-- are 2^(18−i) mod 11. Three digits abc at 10^(3j) contribute (4a + 2b + c)·2^(3j), and
-- 2^(3j) mod 11 = 1, 8, 9, 6, 4, 10 for j = 0 … 5.
CREATE OR REPLACE MACRO gb11643_ok(s) AS (
    gb11643_group(gb11643_digits(s) % 1000)
  + gb11643_group(gb11643_digits(s) // 1000 % 1000) * 8
  + gb11643_group(gb11643_digits(s) // 1000000 % 1000) * 9
  + gb11643_group(gb11643_digits(s) // 1000000000 % 1000) * 6
  + gb11643_group(gb11643_digits(s) // 1000000000000 % 1000) * 4
  + gb11643_group(gb11643_digits(s) // 1000000000000000 % 1000) * 10
  + CASE WHEN ends_with(s, 'X') OR ends_with(s, 'x') THEN 10 ELSE 0 END) % 11 = 1;
-- The check character (ISO 7064 MOD 11-2) of 17 digits given as a number, and of an ID's first
-- 17 characters (NULL when they are not digits).
CREATE OR REPLACE MACRO gb11643_check_n(n) AS substr('10X98765432', 1 + CAST((
    (n // 10000000000000000) * 7 + (n // 1000000000000000 % 10) * 9 + (n // 100000000000000 % 10) * 10
  + (n // 10000000000000 % 10) * 5 + (n // 1000000000000 % 10) * 8 + (n // 100000000000 % 10) * 4
  + (n // 10000000000 % 10) * 2 + (n // 1000000000 % 10) * 1 + (n // 100000000 % 10) * 6
  + (n // 10000000 % 10) * 3 + (n // 1000000 % 10) * 7 + (n // 100000 % 10) * 9 + (n // 10000 % 10) * 10
  + (n // 1000 % 10) * 5 + (n // 100 % 10) * 8 + (n // 10 % 10) * 4 + (n % 10) * 2) % 11 AS INTEGER), 1);
CREATE OR REPLACE MACRO gb11643_check(s) AS gb11643_check_n(TRY_CAST(substr(s, 1, 17) AS BIGINT));
-- An old 15-digit number becomes 18 digits: '19' before the birth year, check character appended.
CREATE OR REPLACE MACRO id18(u) AS CASE
  WHEN length(u) = 15 AND regexp_full_match(u, '[0-9]{15}')
    THEN substr(u, 1, 6) || '19' || substr(u, 7) || gb11643_check(substr(u, 1, 6) || '19' || substr(u, 7))
  ELSE u END;
-- YYYYMMDD of the birth date in an ID number (15-digit numbers: 19YYMMDD).
CREATE OR REPLACE MACRO id_birth_yyyymmdd(s) AS CASE WHEN length(s) = 15 THEN 19000000 + TRY_CAST(s AS BIGINT) // 1000 % 1000000
  ELSE gb11643_digits(s) // 10000 % 100000000 END;
-- A real calendar day: month 1–12, day within the month (leap years by the Gregorian rule).
CREATE OR REPLACE MACRO yyyymmdd_ok(v) AS v // 100 % 100 BETWEEN 1 AND 12 AND v % 100 BETWEEN 1 AND
  CASE WHEN v // 100 % 100 = 2 THEN 28 + ((v // 10000 % 4 = 0 AND v // 10000 % 100 <> 0) OR v // 10000 % 400 = 0)::INT
  ELSE 30 + (v // 100 % 100 + v // 100 % 100 // 8) % 2 END;
-- The birth date is a real day from 1880-01-01 to today.
CREATE OR REPLACE MACRO id_birth_ok(s) AS yyyymmdd_ok(id_birth_yyyymmdd(s))
  AND id_birth_yyyymmdd(s) BETWEEN 18800101 AND CAST(strftime(current_date, '%Y%m%d') AS INTEGER);

-- ── Values as county files write them ──────────────────────────────────────
-- Dates in the forms county systems write, each recognised by its shape and converted with a
-- cast. strptime is not used: even on a branch no row takes it, it costs about 0.1 s per
-- 1.9 million cells, more than the conversion itself.
CREATE OR REPLACE MACRO parse_date(s) AS CASE
  WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}') THEN try_cast(s AS DATE)
  WHEN regexp_full_match(s, '[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}') THEN try_cast(replace(s, '/', '-') AS DATE)
  WHEN regexp_full_match(s, '[0-9]{8}') THEN try_cast(substr(s, 1, 4) || '-' || substr(s, 5, 2) || '-' || substr(s, 7, 2) AS DATE)
  WHEN regexp_full_match(s, '[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日') THEN try_cast(replace(replace(replace(s, '年', '-'), '月', '-'), '日', '') AS DATE)
  -- A date with a time of day (the time must be a real one too).
  WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} [0-9]{1,2}:[0-9]{2}:[0-9]{2}|[0-9]{4}/[0-9]{1,2}/[0-9]{1,2} [0-9]{1,2}:[0-9]{2}:[0-9]{2}')
    THEN CAST(try_cast(replace(s, '/', '-') AS TIMESTAMP) AS DATE)
  -- Excel serial days (1900 date system).
  WHEN regexp_full_match(s, '[0-9]{4,5}(\.0+)?') THEN DATE '1899-12-30' + CAST(CAST(s AS DOUBLE) AS INTEGER)
END;
-- 元 with at most 2 decimals and optional thousands separators; NULL when not such a number.
CREATE OR REPLACE MACRO parse_amount(s) AS CASE
  WHEN regexp_full_match(replace(s, ',', ''), '-?[0-9]+(\.[0-9]{1,2})?') THEN CAST(replace(s, ',', '') AS DECIMAL(18,2)) END;
CREATE OR REPLACE MACRO parse_bool(s) AS CASE
  WHEN lower(s) IN ('1', 'true', 't', 'y', 'yes', '是') THEN true
  WHEN lower(s) IN ('0', 'false', 'f', 'n', 'no', '否') THEN false END;

-- ── Money ─────────────────────────────────────────────────────────────────
-- Money averages stay exact: an amount divided by a count, rounded half up to the fen,
-- computed on integer fen (DuckDB's DECIMAL division would return a DOUBLE).
CREATE OR REPLACE MACRO div_fen(amount, n) AS CASE WHEN n IS NULL OR n = 0 OR amount IS NULL THEN NULL
  ELSE CAST(((CAST(round(amount * 100) AS HUGEINT) * 2 + n) // (2 * n)) AS DECIMAL(18,0)) * 0.01 END;

-- ── Personal data ─────────────────────────────────────────────────────────
-- Shown wherever personal data is not the point: 张*英, 610125********123X.
CREATE OR REPLACE MACRO mask_name(n) AS CASE
  WHEN n IS NULL THEN NULL
  WHEN length(n) <= 1 THEN n
  WHEN length(n) = 2 THEN substr(n, 1, 1) || '*'
  ELSE substr(n, 1, 1) || repeat('*', length(n) - 2) || substr(n, length(n), 1) END;
CREATE OR REPLACE MACRO mask_id(s) AS CASE
  WHEN s IS NULL THEN NULL
  WHEN length(s) = 18 THEN substr(s, 1, 6) || '********' || substr(s, 15, 4)
  ELSE repeat('*', length(s)) END;
