-- Money averages stay exact: an amount divided by a count, rounded half up to the fen,
-- computed on integer fen (DuckDB's DECIMAL division would return a DOUBLE).
CREATE MACRO div_fen(amount, n) AS CASE WHEN n IS NULL OR n = 0 OR amount IS NULL THEN NULL
  ELSE CAST(((CAST(round(amount * 100) AS HUGEINT) * 2 + n) // (2 * n)) AS DECIMAL(18,0)) * 0.01 END;
