-- Helpers the validate stage compiles into its SQL. Pure functions of one value.

-- GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits of an ID number.
CREATE MACRO gb11643_check(s) AS substr('10X98765432', 1 + (
    (ord(s[1]) - 48) * 7 + (ord(s[2]) - 48) * 9 + (ord(s[3]) - 48) * 10 + (ord(s[4]) - 48) * 5
  + (ord(s[5]) - 48) * 8 + (ord(s[6]) - 48) * 4 + (ord(s[7]) - 48) * 2 + (ord(s[8]) - 48) * 1
  + (ord(s[9]) - 48) * 6 + (ord(s[10]) - 48) * 3 + (ord(s[11]) - 48) * 7 + (ord(s[12]) - 48) * 9
  + (ord(s[13]) - 48) * 10 + (ord(s[14]) - 48) * 5 + (ord(s[15]) - 48) * 8 + (ord(s[16]) - 48) * 4
  + (ord(s[17]) - 48) * 2) % 11, 1);

-- An old 15-digit number becomes 18 digits: '19' before the birth year, check character appended.
CREATE MACRO id18(u) AS CASE
  WHEN length(u) = 15 AND regexp_full_match(u, '[0-9]{15}')
    THEN substr(u, 1, 6) || '19' || substr(u, 7) || gb11643_check(substr(u, 1, 6) || '19' || substr(u, 7))
  ELSE u END;

-- Dates as county systems write them; Excel serial days too (1900 date system).
CREATE MACRO parse_date(s) AS coalesce(
  CAST(try_strptime(s, ['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d', '%Y年%m月%d日', '%Y-%m-%d %H:%M:%S', '%Y/%m/%d %H:%M:%S']) AS DATE),
  CASE WHEN regexp_full_match(s, '[0-9]{4,5}(\.0+)?') THEN DATE '1899-12-30' + CAST(CAST(s AS DOUBLE) AS INTEGER) END);

-- 元 with at most 2 decimals and optional thousands separators; NULL when not such a number.
CREATE MACRO parse_amount(s) AS CASE
  WHEN regexp_full_match(replace(s, ',', ''), '-?[0-9]+(\.[0-9]{1,2})?') THEN CAST(replace(s, ',', '') AS DECIMAL(18,2)) END;

CREATE MACRO parse_bool(s) AS CASE
  WHEN lower(s) IN ('1', 'true', 't', 'y', 'yes', '是') THEN true
  WHEN lower(s) IN ('0', 'false', 'f', 'n', 'no', '否') THEN false END;

-- Shown wherever personal data is not the point: 张*英, 610125********123X.
CREATE MACRO mask_name(n) AS CASE
  WHEN n IS NULL THEN NULL
  WHEN length(n) <= 1 THEN n
  WHEN length(n) = 2 THEN substr(n, 1, 1) || '*'
  ELSE substr(n, 1, 1) || repeat('*', length(n) - 2) || substr(n, length(n), 1) END;
CREATE MACRO mask_id(s) AS CASE
  WHEN s IS NULL THEN NULL
  WHEN length(s) = 18 THEN substr(s, 1, 6) || '********' || substr(s, 15, 4)
  ELSE repeat('*', length(s)) END;
