/**
 * The audit (审核) as callers read it: the claims the audit has something to say about, paged
 * and sorted, with personal data masked unless the caller may see it, and the year's totals.
 */
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import { QueryError } from './errors.ts';
import { PREPARED, type Source } from './indicators.ts';

export interface AuditRow {
  claim_id: string;
  person_id: string;
  name: string | null;
  facility_code: string;
  visit_type: string;
  discharge_date: string;
  village_code: string | null;
  expected: string;
  settled: string;
  difference: string;
  findings: string[];
}

export type AuditSort = 'difference' | '-difference' | 'discharge';

export interface AuditQuery {
  year: number;
  /** Only claims of enrolees of this township (or village: any division code prefix). */
  township?: string;
  facility?: string;
  offset?: number;
  /** Rows per page: default 100, at most 1,000; 'all' for a whole listing (the command line). */
  limit?: number | 'all';
  /** -difference (default): largest first; discharge: in discharge order, then claim_id. */
  sort?: AuditSort;
  /** Names and ID numbers as they are (auditors); masked otherwise. */
  personalData?: boolean;
}

const ORDER: Record<AuditSort, string> = {
  difference: 'a.difference, a.claim_id',
  '-difference': 'a.difference DESC, a.claim_id',
  discharge: 'a.discharge_date, a.claim_id',
};

export async function readAudit(conn: DuckDBConnection, q: AuditQuery, source: Source = PREPARED): Promise<{ total: number; rows: AuditRow[] }> {
  const sort = q.sort ?? '-difference';
  if (!(sort in ORDER)) throw new QueryError('sort', `sort 应为 difference 或 -difference (got "${sort}")`);
  const limit = q.limit ?? 100;
  if (limit !== 'all' && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) throw new QueryError('limit', `limit 应为 1 到 1000 的整数 (got "${limit}")`);
  const offset = q.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new QueryError('offset', `offset 应为不小于 0 的整数 (got "${offset}")`);
  const where = ['year = $year'];
  const params: Record<string, string | number> = { year: q.year };
  if (q.township) {
    where.push('starts_with(village_code, $township)');
    params.township = q.township;
  }
  if (q.facility) {
    where.push('facility_code = $facility');
    params.facility = q.facility;
  }
  const person = q.personalData ? 'person_id, name' : 'mask_id(person_id) AS person_id, mask_name(name) AS name';
  // The page is a top-N read of the raw columns; masking and text come after, on its rows only,
  // and the total with it as a scalar subquery.
  const page = await rows<AuditRow & { total?: number }>(
    conn,
    `SELECT claim_id, ${person}, facility_code, visit_type, discharge_date::VARCHAR AS discharge_date, village_code,
            expected_payout::VARCHAR AS expected, settled::VARCHAR AS settled, difference::VARCHAR AS difference, findings,
            (SELECT count(*) FROM ${source.audit} WHERE ${where.join(' AND ')}) AS total
     FROM (SELECT * FROM ${source.audit} a WHERE ${where.join(' AND ')} ORDER BY ${ORDER[sort]}${limit === 'all' ? '' : ` LIMIT ${limit} OFFSET ${offset}`}) a
     ORDER BY ${ORDER[sort]}`,
    params,
  );
  // A page past the end has no row to carry the total.
  const total = page[0]?.total ?? (await rows<{ n: number }>(conn, `SELECT count(*) AS n FROM ${source.audit} WHERE ${where.join(' AND ')}`, params))[0]!.n;
  for (const r of page) delete r.total;
  return { total, rows: page };
}

export interface AuditSummary {
  /** Every claim of the year, enrolled or not. */
  claims: number;
  underpaid: { claims: number; refund_due: string };
  overpaid: { claims: number; amount: string };
  non_enrolled_claims: { claims: number; reimbursed: string };
  unknown_facility_claims: number;
  drug_share_breaches: { facility_code: string; month: string; drug_share: number }[];
}

/** The year's audit totals over every claim (non-enrolled ones included), and the drug-share breaches under `maxDrugShare`. */
export async function auditSummary(conn: DuckDBConnection, year: number, maxDrugShare: number | undefined, source: Source = PREPARED): Promise<AuditSummary> {
  const [s] = await rows<Record<string, number | string>>(
    conn,
    `SELECT
       (SELECT sum(inpatient_stays + outpatient_visits) + any_value(non_enrolled_count) FROM ${source.facts} WHERE year = $year AND level = 'county') AS claims,
       count(*) FILTER (difference <= -0.01) AS underpaid,
       coalesce(-sum(difference) FILTER (difference <= -0.01), 0)::DECIMAL(18,2) AS refund_due,
       count(*) FILTER (difference >= 0.01) AS overpaid,
       coalesce(sum(difference) FILTER (difference >= 0.01), 0)::DECIMAL(18,2) AS overpaid_amount,
       count(*) FILTER (list_contains(findings, 'non_enrolled')) AS non_enrolled,
       coalesce(sum(settled) FILTER (list_contains(findings, 'non_enrolled')), 0)::DECIMAL(18,2) AS non_enrolled_reimbursed,
       count(*) FILTER (list_contains(findings, 'unknown_facility')) AS unknown_facility
     FROM ${source.audit} WHERE year = $year`,
    { year },
  );
  const breaches =
    maxDrugShare === undefined
      ? []
      : await rows<{ facility_code: string; month: string; drug_share: number }>(
          conn,
          `SELECT facility_code, month, (month_drug_cost / month_drug_base)::DOUBLE AS drug_share FROM ${source.drug_share}
           WHERE year = $year AND month_drug_base > 0 AND month_drug_cost > ${maxDrugShare} * month_drug_base ORDER BY facility_code, month`,
          { year },
        );
  return {
    claims: Number(s?.claims ?? 0),
    underpaid: { claims: Number(s!.underpaid), refund_due: String(s!.refund_due) },
    overpaid: { claims: Number(s!.overpaid), amount: String(s!.overpaid_amount) },
    non_enrolled_claims: { claims: Number(s!.non_enrolled), reimbursed: String(s!.non_enrolled_reimbursed) },
    unknown_facility_claims: Number(s!.unknown_facility),
    drug_share_breaches: breaches,
  };
}
