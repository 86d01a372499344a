/**
 * The audit (审核) of a scheme year: every claim recomputed by the policy and compared with
 * what the fund paid, claims of persons not enrolled, claims at facilities the registry
 * does not know, and facility-months whose drug share breaks the limit.
 */
import type { Policy } from '@ncms/rules';
import { query, queryJson, type DuckDBConnection } from '@ncms/warehouse';
import { computeExpected, type PolicyFor } from './expected.ts';

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
       ci.enrolled, ci.level IS NULL AS unknown_facility
FROM claims c JOIN expected e USING (claim_id) JOIN compensation_input ci USING (claim_id)
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
    `SELECT count(*) AS claims,
       count(*) FILTER (difference <= -0.01) AS under_n, coalesce(-sum(difference) FILTER (difference <= -0.01), 0)::VARCHAR AS under_sum,
       count(*) FILTER (difference >= 0.01) AS over_n, coalesce(sum(difference) FILTER (difference >= 0.01), 0)::VARCHAR AS over_sum,
       count(*) FILTER (NOT enrolled) AS ne_n, coalesce(sum(settled) FILTER (NOT enrolled), 0)::VARCHAR AS ne_sum,
       count(*) FILTER (unknown_facility) AS uf_n
     FROM audit_rows`,
  );
  const limit = policy.targets?.max_drug_share;
  const breaches =
    limit === undefined
      ? []
      : await query<{ facility_code: string; month: string; drug_share: number }>(
          conn,
          `SELECT facility_code, strftime(discharge_date, '%Y-%m') AS month, (sum(drug_cost) / sum(total_cost))::DOUBLE AS drug_share
           FROM claims WHERE scheme_year = ${year} AND drug_cost IS NOT NULL
           GROUP BY ALL HAVING sum(total_cost) > 0 AND sum(drug_cost) > ${limit} * sum(total_cost)
           ORDER BY facility_code, month`,
        );
  const n = (k: string) => Number(s![k]);
  return {
    rows,
    summary: {
      claims: n('claims'),
      underpaid: { claims: n('under_n'), refund_due: String(s!.under_sum) },
      overpaid: { claims: n('over_n'), amount: String(s!.over_sum) },
      non_enrolled_claims: { claims: n('ne_n'), reimbursed: String(s!.ne_sum) },
      unknown_facility_claims: n('uf_n'),
      drug_share_breaches: breaches,
    },
  };
}
