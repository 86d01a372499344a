/**
 * The audit figures of the catalogue (underpaid, overpaid, non_enrolled_claims,
 * drug_share_breaches) as SQL, shared by `ncms audit` and `ncms indicators`.
 */

/** Aggregates over rows that have a `difference` column (reimbursed − expected_payout). */
export const DISCREPANCY_SUMS = `
  count(*) FILTER (difference <= -0.01) AS audit_underpaid_claims,
  coalesce(-sum(difference) FILTER (difference <= -0.01), 0) AS audit_underpaid_refund_due,
  count(*) FILTER (difference >= 0.01) AS audit_overpaid_claims,
  coalesce(sum(difference) FILTER (difference >= 0.01), 0) AS audit_overpaid_amount`;

/** Claims of the year whose person is not enrolled that year. */
export const nonEnrolledSql = (year: number) => `
  SELECT count(*) AS non_enrolled_claims, coalesce(sum(reimbursed), 0) AS non_enrolled_reimbursed
  FROM claims c WHERE c.scheme_year = ${year}
    AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.year = c.scheme_year AND e.person_id = c.person_id)`;

/** Facility × discharge-month groups of the year whose drug share is strictly above the limit. */
export const drugShareBreachesSql = (year: number, limit: number) => `
  SELECT facility_code, strftime(discharge_date, '%Y-%m') AS month, (sum(drug_cost) / sum(total_cost))::DOUBLE AS drug_share
  FROM claims WHERE scheme_year = ${year} AND drug_cost IS NOT NULL
  GROUP BY ALL HAVING sum(total_cost) > 0 AND sum(drug_cost) > ${limit} * sum(total_cost)`;
