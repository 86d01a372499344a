-- The macros file (macros.sql) as last applied, by its hash: an open applies it again only when
-- the file changed or a migration ran, so an open with nothing to do writes nothing (and the
-- close has nothing to checkpoint).
CREATE TABLE warehouse_macros (file_hash VARCHAR NOT NULL);
