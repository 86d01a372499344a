/**
 * The audit (审核) of a scheme year: every claim recomputed by the policy and compared with
 * what the fund paid, claims of persons not enrolled, claims at facilities the registry
 * does not know, and facility-months whose drug share breaks the limit.
 */
import type { Policy } from '@ncms/rules';
import { query, queryJson, type DuckDBConnection } from '@ncms/warehouse';
import { computeExpected, type PolicyFor } from './expected.ts';
import { DISCREPANCY_SUMS, drugShareBreachesSql, nonEnrolledSql } from './audit-sql.ts';

export interface AuditRow {
  claim_id: string;
  person_id: string; // masked
  facility_code: string;
  visit_type: string;
  discharge_date: string;
  expected: string;
  settled: string;
  difference: string;
  finding: string;
}

export interface AuditSummary {
  claims: number;
  underpaid: { claims: number; refund_due: string };
  overpaid: { claims: number; amount: string };
  non_enrolled_claims: { claims: number; reimbursed: string };
  unknown_facility_claims: number;
  drug_share_breaches: { facility_code: string; month: string; drug_share: number }[];
}

/** Rows of the year with a discrepancy or a finding, in discharge order; temp table `audit_rows`. */
const AUDIT_SQL = (year: number) => `
CREATE OR REPLACE TEMP TABLE audit_rows AS
SELECT c.claim_id, mask_id(c.person_id) AS person_id, c.facility_code, c.visit_type, c.discharge_date,
       e.expected_payout AS expected, c.reimbursed AS settled, c.reimbursed - e.expected_payout AS difference,
       e.enrolled, e.level IS NULL AS unknown_facility
FROM claims c JOIN expected e USING (claim_id)
WHERE c.scheme_year = ${year}`;

export async function audit(conn: DuckDBConnection, year: number, policyFor: PolicyFor): Promise<{ rows: AuditRow[]; summary: AuditSummary }> {
  const policy = policyFor(year) as Policy;
  await computeExpected(conn, year, policyFor);
  await conn.run(AUDIT_SQL(year));
  const rows = await queryJson<AuditRow>(
    conn,
    `SELECT claim_id, person_id, facility_code, visit_type, discharge_date::VARCHAR AS discharge_date,
            expected::VARCHAR AS expected, settled::VARCHAR AS settled, difference::VARCHAR AS difference,
            concat_ws(';', CASE WHEN NOT enrolled THEN 'not_enrolled' END, CASE WHEN unknown_facility THEN 'unknown_facility' END,
                      CASE WHEN difference <= -0.01 THEN 'underpaid' WHEN difference >= 0.01 THEN 'overpaid' END) AS finding
     FROM audit_rows WHERE difference <> 0 OR NOT enrolled OR unknown_facility
     ORDER BY discharge_date, claim_id`,
  );
  const [s] = await queryJson<Record<string, string | number>>(
    conn,
    `SELECT count(*) AS claims, ${DISCREPANCY_SUMS}, count(*) FILTER (unknown_facility) AS unknown_facility_claims FROM audit_rows`,
  );
  const [ne] = await queryJson<Record<string, string>>(conn, nonEnrolledSql(year));
  const limit = policy.targets?.max_drug_share;
  const breaches =
    limit === undefined
      ? []
      : await query<{ facility_code: string; month: string; drug_share: number }>(conn, `${drugShareBreachesSql(year, limit)} ORDER BY facility_code, month`);
  const n = (k: string) => Number(s![k]);
  return {
    rows,
    summary: {
      claims: n('claims'),
      underpaid: { claims: n('audit_underpaid_claims'), refund_due: String(s!.audit_underpaid_refund_due) },
      overpaid: { claims: n('audit_overpaid_claims'), amount: String(s!.audit_overpaid_amount) },
      non_enrolled_claims: { claims: Number(ne!.non_enrolled_claims), reimbursed: String(ne!.non_enrolled_reimbursed) },
      unknown_facility_claims: n('unknown_facility_claims'),
      drug_share_breaches: breaches,
    },
  };
}
