-- The review (复核) of the audit rules' findings (spec/audit-rules.md): an append-only history,
-- kept apart from the loaded data and the analytics tables, so that a reload, a correction or a
-- refresh never loses a decision. A finding is (year, code, claim_id); its state is read from its
-- events: none 待复核; confirm 确认违规 (amount to recover); dismiss 排除 (reason); recover 已追回
-- (amount, date; partial recoveries add up). claim_hash is the claim's row_hash when decided, so
-- a later correction of the claim shows.
CREATE SEQUENCE audit_review_id START 1;
CREATE TABLE audit_review (
  id BIGINT PRIMARY KEY DEFAULT nextval('audit_review_id'),
  year INTEGER NOT NULL,
  code VARCHAR NOT NULL,
  claim_id VARCHAR NOT NULL,
  action VARCHAR NOT NULL CHECK (action IN ('confirm', 'dismiss', 'recover')),
  amount DECIMAL(18,2),
  reason VARCHAR,
  recovered_on DATE,
  by_account VARCHAR NOT NULL,
  reviewed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  claim_hash UBIGINT
);
