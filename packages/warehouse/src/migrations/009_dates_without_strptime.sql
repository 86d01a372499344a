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
