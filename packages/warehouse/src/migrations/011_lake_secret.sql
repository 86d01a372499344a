-- The key of the pseudonyms a masked export gives persons (person_key = a keyed hash of the ID
-- number). It stays in the warehouse, never in an export: with it, anyone could hash every
-- possible ID number (area, birth date, sequence) and undo the masking.
CREATE TABLE lake_secret (secret VARCHAR NOT NULL);
INSERT INTO lake_secret SELECT replace(gen_random_uuid()::VARCHAR || gen_random_uuid()::VARCHAR, '-', '');
