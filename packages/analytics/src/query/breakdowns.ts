/**
 * Breakdowns the pages show beside the indicators: the diagnoses that cost the fund most, the
 * audit by facility (what each owes patients or was overpaid), and the household accounts.
 * Each reads the analytics tables (or a fresh computation's of the same shape); money is text.
 */
import { rows, sqlString, type DuckDBConnection } from '@ncms/warehouse';

const inside = (column: string, within: string | undefined) => (within ? ` AND starts_with(${column}, ${sqlString(within)})` : '');
import { PREPARED, type Source } from './indicators.ts';

export interface DiagnosisRow {
  diagnosis_code: string | null;
  diagnosis_name: string | null;
  stays: number;
  cost: string;
  payout: string;
}

/** Inpatient stays of enrolees by main diagnosis, most stays first (`within`: a unit's division code). */
export async function readTopDiagnoses(conn: DuckDBConnection, q: { year: number; within?: string; limit?: number }, source: Source = PREPARED): Promise<DiagnosisRow[]> {
  const top = await rows<Omit<DiagnosisRow, 'diagnosis_name'>>(
    conn,
    `SELECT diagnosis_code, count(*) AS stays, sum(total_cost)::VARCHAR AS cost, sum(reimbursed)::VARCHAR AS payout
     FROM ${source.claims}
     WHERE year = $year AND enrolled AND visit_type = 'inpatient'${inside('village_code', q.within)}
     GROUP BY diagnosis_code ORDER BY stays DESC, diagnosis_code NULLS LAST LIMIT ${Math.max(1, Math.min(q.limit ?? 10, 100))}`,
    { year: q.year },
  );
  const codes = top.map((t) => t.diagnosis_code).filter((c): c is string => c !== null);
  if (!codes.length) return top.map((t) => ({ ...t, diagnosis_name: null }));
  // Names as the hospitals wrote them: the most frequent spelling of each code.
  const names = new Map(
    (
      await rows<{ code: string; name: string | null }>(
        conn,
        `SELECT diagnosis_code AS code, mode(diagnosis_name) AS name FROM claims
         WHERE scheme_year = $year AND diagnosis_code IN (${codes.map(sqlString).join(', ')}) GROUP BY diagnosis_code`,
        { year: q.year },
      )
    ).map((r) => [r.code, r.name]),
  );
  return top.map((t) => ({ ...t, diagnosis_name: t.diagnosis_code === null ? null : (names.get(t.diagnosis_code) ?? null) }));
}

export interface FacilityAuditRow {
  facility_code: string;
  facility_name: string | null;
  claims: number;
  underpaid_claims: number;
  refund_due: string;
  overpaid_claims: number;
  overpaid_amount: string;
  other_findings: number;
}

/** The audit's findings per facility, the largest refund due first. */
export function readAuditByFacility(conn: DuckDBConnection, q: { year: number; within?: string }, source: Source = PREPARED): Promise<FacilityAuditRow[]> {
  return rows<FacilityAuditRow>(
    conn,
    `SELECT a.facility_code, any_value(f.facility_name) AS facility_name, count(*) AS claims,
            count(*) FILTER (list_contains(findings, 'underpaid')) AS underpaid_claims,
            coalesce(-sum(difference) FILTER (list_contains(findings, 'underpaid')), 0)::VARCHAR AS refund_due,
            count(*) FILTER (list_contains(findings, 'overpaid')) AS overpaid_claims,
            coalesce(sum(difference) FILTER (list_contains(findings, 'overpaid')), 0)::VARCHAR AS overpaid_amount,
            count(*) FILTER (NOT list_has_any(findings, ['underpaid', 'overpaid'])) AS other_findings
     FROM ${source.audit} a LEFT JOIN facilities f USING (facility_code)
     WHERE a.year = $year${inside('a.village_code', q.within)}
     GROUP BY a.facility_code
     ORDER BY coalesce(-sum(difference) FILTER (list_contains(findings, 'underpaid')), 0) DESC, a.facility_code`,
    { year: q.year },
  );
}

export interface HouseholdAccounts {
  households: number;
  /** Σ closing balances of the year (元). */
  balance: string;
  /** Households whose account is used up. */
  empty: number;
}

/** The household outpatient accounts (家庭账户) at the year's close, county-wide. */
export async function readHouseholdAccounts(conn: DuckDBConnection, year: number, source: Source = PREPARED): Promise<HouseholdAccounts> {
  const [r] = await rows<{ households: number; balance: string; empty: number }>(
    conn,
    `SELECT count(*) AS households, (coalesce(sum(closing_fen), 0)::DECIMAL(38,0) * 0.01)::DECIMAL(18,2)::VARCHAR AS balance, count(*) FILTER (closing_fen <= 0) AS empty
     FROM ${source.household_closing} WHERE year = $year`,
    { year },
  );
  return r!;
}
