-- Whether the analytics tables may be stale, told without reading a core row. Every load that
-- changes rows of a core table sets, in its own transaction, the generation of each (table,
-- year) it changed to its batch id; a refresh that found every year up to date records the
-- stamp of those generations with the policies, the models and the schema. A read compares the
-- two (a few rows, whatever the county's size); the row-level fingerprint, which reads every
-- core row, is left to the refresh itself and to `ncms refresh --verify`.
CREATE TABLE core_generations (
  kind       VARCHAR NOT NULL,   -- the core table: census, facilities, enrollment, claims, ledger
  year       INTEGER NOT NULL,   -- the rows' year (claims: scheme_year); 0 for the facility registry
  generation BIGINT NOT NULL     -- the batch that last changed rows of this table and year
);

CREATE TABLE analytics_stamp (
  stamp       VARCHAR NOT NULL,  -- hash of the generations, policies, models, opening balance, schema
  verified_at TIMESTAMPTZ NOT NULL
);
