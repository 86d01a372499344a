-- The registry's facility type (机构类别, spec/extracts.md): the audit's 超出机构收治范围 reads it.
-- Rows loaded before it existed take the default: a township-level facility is its township
-- centre, anything else a general hospital.
ALTER TABLE facilities ADD COLUMN facility_type VARCHAR;
UPDATE facilities SET facility_type = CASE WHEN level = 'township' THEN 'township_center' ELSE 'general' END;
