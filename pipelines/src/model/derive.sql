-- Derived tables the pages read; rebuilt after every load that changed something.
CREATE OR REPLACE TABLE village_enrollment AS
  SELECT year, division_code,
         count(*) AS enrollees,
         count(DISTINCT household_id) AS households,
         count(*) FILTER (category <> 'general') AS subsidized
  FROM enrollment
  GROUP BY ALL;
INSERT OR REPLACE INTO derived_refresh VALUES ('village_enrollment', now(), (SELECT count(*) FROM village_enrollment));
