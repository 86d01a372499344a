-- Core tables carry no PRIMARY KEY: keys are enforced by the merge step, because
-- DuckDB's ART indexes slow bulk loads and reject delete+insert of a key in one transaction.

-- Provenance: every file the pipelines see, loaded or rejected, keyed by content hash.
CREATE SEQUENCE batch_seq START 1;
CREATE TABLE batches (
  batch_id        BIGINT PRIMARY KEY DEFAULT nextval('batch_seq'),
  run_id          BIGINT,
  kind            VARCHAR NOT NULL,
  file_path       VARCHAR NOT NULL,
  content_hash    VARCHAR NOT NULL,
  size_bytes      BIGINT NOT NULL,
  format          VARCHAR,
  encoding        VARCHAR,
  status          VARCHAR NOT NULL,          -- loaded | rejected
  reason          VARCHAR,                   -- why a file was rejected
  rows_total      BIGINT NOT NULL DEFAULT 0, -- data rows in the file
  rows_loaded     BIGINT NOT NULL DEFAULT 0, -- new keys
  rows_replaced   BIGINT NOT NULL DEFAULT 0, -- existing keys whose content changed
  rows_unchanged  BIGINT NOT NULL DEFAULT 0, -- existing keys, identical content
  rows_quarantined BIGINT NOT NULL DEFAULT 0,
  unknown_columns VARCHAR[],
  started_at      TIMESTAMPTZ NOT NULL,
  finished_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX batches_hash ON batches (content_hash);

-- Bad rows: where and why, in plain words. Values are not copied here (personal data).
CREATE TABLE quarantine (
  batch_id    BIGINT NOT NULL,
  line        BIGINT NOT NULL,
  column_name VARCHAR,
  reason      VARCHAR NOT NULL
);

-- Findings recorded at load time (changes that the spec wants surfaced).
CREATE TABLE load_findings (
  batch_id BIGINT NOT NULL,
  kind     VARCHAR NOT NULL,
  code     VARCHAR NOT NULL,
  key      VARCHAR NOT NULL,
  detail   VARCHAR
);

CREATE TABLE census (
  year INTEGER NOT NULL,
  division_code VARCHAR NOT NULL,
  township_name VARCHAR NOT NULL,
  village_name VARCHAR NOT NULL,
  households INTEGER,
  population INTEGER,
  agricultural_population INTEGER NOT NULL,
  per_capita_net_income DECIMAL(18,2),
  batch_id BIGINT NOT NULL, source_line BIGINT NOT NULL, row_hash UBIGINT NOT NULL
);

CREATE TABLE facilities (
  facility_code VARCHAR NOT NULL,
  facility_name VARCHAR NOT NULL,
  level VARCHAR,
  in_county BOOLEAN NOT NULL,
  designated BOOLEAN NOT NULL,
  division_code VARCHAR,
  batch_id BIGINT NOT NULL, source_line BIGINT NOT NULL, row_hash UBIGINT NOT NULL
);

CREATE TABLE enrollment (
  year INTEGER NOT NULL,
  person_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  household_id VARCHAR NOT NULL,
  division_code VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  individual_paid DECIMAL(18,2),
  subsidy_paid DECIMAL(18,2),
  receipt_no VARCHAR,
  enrolled_on DATE,
  person_id_upgraded BOOLEAN NOT NULL,  -- an old 15-digit number upgraded on load
  batch_id BIGINT NOT NULL, source_line BIGINT NOT NULL, row_hash UBIGINT NOT NULL
);

CREATE TABLE claims (
  claim_id VARCHAR NOT NULL,
  person_id VARCHAR NOT NULL,
  name VARCHAR,
  facility_code VARCHAR NOT NULL,
  visit_type VARCHAR NOT NULL,
  admission_date DATE NOT NULL,
  discharge_date DATE NOT NULL,        -- outpatient: the visit date
  scheme_year INTEGER NOT NULL,
  diagnosis_code VARCHAR,
  diagnosis_name VARCHAR,
  total_cost DECIMAL(18,2) NOT NULL,
  drug_cost DECIMAL(18,2),             -- NULL = unknown
  eligible_cost DECIMAL(18,2) NOT NULL,
  reimbursed DECIMAL(18,2) NOT NULL,
  referral BOOLEAN NOT NULL,
  single_disease_code VARCHAR,
  person_id_upgraded BOOLEAN NOT NULL,
  batch_id BIGINT NOT NULL, source_line BIGINT NOT NULL, row_hash UBIGINT NOT NULL
);

CREATE TABLE ledger (
  entry_id VARCHAR NOT NULL,
  date DATE NOT NULL,
  year INTEGER NOT NULL,
  direction VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  amount DECIMAL(18,2) NOT NULL,
  division_code VARCHAR,
  memo VARCHAR,
  batch_id BIGINT NOT NULL, source_line BIGINT NOT NULL, row_hash UBIGINT NOT NULL
);

-- Every pipeline run, scheduled or by hand.
CREATE SEQUENCE run_seq START 1;
CREATE TABLE pipeline_runs (
  run_id BIGINT PRIMARY KEY DEFAULT nextval('run_seq'),
  trigger VARCHAR NOT NULL,          -- cli | schedule | api
  source_dir VARCHAR NOT NULL,
  kinds VARCHAR[] NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  status VARCHAR NOT NULL,           -- running | ok | rejected_files | failed
  files_loaded INTEGER DEFAULT 0,
  files_unchanged INTEGER DEFAULT 0,
  files_rejected INTEGER DEFAULT 0,
  rows_loaded BIGINT DEFAULT 0,
  rows_replaced BIGINT DEFAULT 0,
  rows_quarantined BIGINT DEFAULT 0,
  error VARCHAR
);
