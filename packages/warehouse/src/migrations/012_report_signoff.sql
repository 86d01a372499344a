-- Sign-off of inspection reports (what DHIS2 calls approval): an append-only history of who
-- reviewed (已审核), withdrew a review, or sent (已上报) which report, made from which data
-- version. A report sent upward is archived (its files and their SHA-256) so the exact figures
-- sent can be shown again after later corrections.
CREATE SEQUENCE report_signoff_id START 1;
CREATE TABLE report_signoff (
  id BIGINT PRIMARY KEY DEFAULT nextval('report_signoff_id'),
  year INTEGER NOT NULL,
  period VARCHAR NOT NULL,
  township VARCHAR NOT NULL,                       -- '' for the county's report
  action VARCHAR NOT NULL CHECK (action IN ('reviewed', 'withdrawn', 'submitted')),
  by_name VARCHAR NOT NULL,
  signed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  data_version VARCHAR NOT NULL,
  data_as_of VARCHAR NOT NULL
);
CREATE TABLE report_archive (
  signoff_id BIGINT NOT NULL REFERENCES report_signoff (id),
  format VARCHAR NOT NULL,                         -- pdf, docx, xlsx; json: the document model
  sha256 VARCHAR NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (signoff_id, format)
);
