-- The analyst console's saved queries, shared with the office: who wrote each and when.
CREATE SEQUENCE saved_query_id START 1;
CREATE TABLE saved_query (
  id BIGINT PRIMARY KEY DEFAULT nextval('saved_query_id'),
  title VARCHAR NOT NULL,
  sql VARCHAR NOT NULL,
  author VARCHAR NOT NULL,
  saved_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
