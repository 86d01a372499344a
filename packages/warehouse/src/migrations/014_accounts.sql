-- Accounts (who may sign in, with which role and scope) and the audit log (who did what, when:
-- sign-ins, exports, report downloads and sign-offs, SQL queries, account changes). The log is
-- append-only: the platform only ever inserts into it.
CREATE TABLE app_user (
  username VARCHAR PRIMARY KEY,
  role VARCHAR NOT NULL CHECK (role IN ('admin', 'leader', 'township', 'analyst', 'auditor')),
  township VARCHAR,                                  -- a township officer's 9-digit code
  password_hash VARCHAR NOT NULL,                    -- argon2id, PHC string
  must_change BOOLEAN NOT NULL DEFAULT false,        -- a one-time password: change at first sign-in
  disabled BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((role = 'township') = (township IS NOT NULL))
);
CREATE SEQUENCE audit_log_id START 1;
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
  logged_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  username VARCHAR,                                  -- NULL: not signed in (a failed sign-in names the account tried in detail)
  action VARCHAR NOT NULL,
  detail VARCHAR,
  address VARCHAR,
  request_id VARCHAR
);
