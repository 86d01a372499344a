-- stg_facilities: the registry of designated facilities (定点医疗机构目录).
-- Grain: one row per facility.
-- Columns: facility_code, facility_name, level (township | county | city | provincial; NULL when
-- the registry gives none), in_county, designated, facility_type (general | tcm | mch |
-- township_center | clinic | other).
SELECT facility_code, facility_name, level, in_county, designated, facility_type
FROM facilities
