-- The analytics tables (packages/analytics) replace village_enrollment, which nothing read.
-- derived_refresh becomes the one record of how fresh the prepared numbers are: one row per
-- analytics table and scheme year (the tables are rebuilt a year at a time).
DROP TABLE village_enrollment;
DROP TABLE derived_refresh;
CREATE TABLE derived_refresh (
  table_name   VARCHAR NOT NULL,
  year         INTEGER NOT NULL,
  refreshed_at TIMESTAMPTZ NOT NULL,   -- the as-of time of the year's numbers
  rows         BIGINT NOT NULL,
  batches      BIGINT[] NOT NULL,      -- the loaded batches whose rows the year's numbers reflect
  inputs_hash  VARCHAR NOT NULL,       -- fingerprint of everything they were computed from
  inputs       JSON NOT NULL,          -- its parts: per kind and year, rows and content hash
  census_year  INTEGER,                -- the census used (the year's own or the latest earlier one)
  policy_year  INTEGER,                -- the policy file used (its year), NULL without one
  policy_hash  VARCHAR
);

-- The county's policy files as last read from its policy folder, so the numbers say which
-- policy they were computed under and a changed file can be noticed.
CREATE TABLE policies (
  year         INTEGER NOT NULL,
  source_path  VARCHAR NOT NULL,
  content_hash VARCHAR NOT NULL,
  policy       JSON NOT NULL,
  read_at      TIMESTAMPTZ NOT NULL
);
