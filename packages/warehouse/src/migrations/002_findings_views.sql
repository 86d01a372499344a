-- References between extracts are judged when computing, never at load (spec principle 1).
CREATE VIEW finding_enrollment_unknown_village AS
  SELECT e.year, e.division_code, count(*) AS enrollees
  FROM enrollment e
  WHERE NOT EXISTS (SELECT 1 FROM census c WHERE c.division_code = e.division_code)
  GROUP BY ALL;

CREATE VIEW finding_claims_unknown_facility AS
  SELECT c.scheme_year AS year, c.facility_code, count(*) AS claims
  FROM claims c
  WHERE NOT EXISTS (SELECT 1 FROM facilities f WHERE f.facility_code = c.facility_code)
  GROUP BY ALL;

CREATE VIEW finding_claims_not_enrolled AS
  SELECT c.scheme_year AS year, count(*) AS claims, sum(c.reimbursed) AS reimbursed
  FROM claims c
  WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.year = c.scheme_year AND e.person_id = c.person_id)
  GROUP BY ALL;

-- Derived tables are rebuilt after each load; this records when.
CREATE TABLE derived_refresh (
  table_name VARCHAR PRIMARY KEY,
  refreshed_at TIMESTAMPTZ NOT NULL,
  rows BIGINT NOT NULL
);

CREATE TABLE village_enrollment (
  year INTEGER, division_code VARCHAR, enrollees BIGINT, households BIGINT, subsidized BIGINT
);
