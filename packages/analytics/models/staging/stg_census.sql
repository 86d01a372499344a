-- stg_census: the census (统计人口) as loaded, every year.
-- Grain: one row per census year and village.
-- Columns:
--   census_year             the census year
--   village_code            12-digit division code of the village
--   township_name, village_name
--   agricultural_population 农业人口: the denominator of participation
--   per_capita_net_income   农民人均纯收入 (元), for the equity measures
SELECT
  year AS census_year,
  division_code AS village_code,
  township_name,
  village_name,
  agricultural_population,
  per_capita_net_income
FROM census
