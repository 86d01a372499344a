/**
 * The public disclosure list (公示) of one village and month: every inpatient stay of the
 * village's enrolees discharged in the month that the fund paid, with the patient's name and ID
 * number masked (张*英, 410523********123X), the facility, the dates, the total cost and the
 * reimbursement, and the totals. Posted in the village so neighbours can see who was paid what.
 */
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import { ANALYTICS_TABLES } from '../prepare/refresh.ts';
import { QueryError } from './errors.ts';
import { parsePeriod } from './indicators.ts';

export interface DisclosureRow {
  name: string | null;
  person_id: string;
  facility: string;
  admission_date: string | null;
  discharge_date: string;
  days: number;
  total_cost: string;
  reimbursed: string;
}

export interface Disclosure {
  year: number;
  /** `YYYY-MM` */
  month: string;
  county: string | null;
  township: { code: string; name: string | null };
  village: { code: string; name: string | null };
  rows: DisclosureRow[];
  totals: { stays: number; total_cost: string; reimbursed: string };
}

/** The stays a list shows: the village's enrolees' paid inpatient stays discharged in the month. */
const LISTED = `year = $year AND village_code = $village AND enrolled AND visit_type = 'inpatient' AND reimbursed > 0
  AND strftime(discharge_date, '%Y-%m') = $month`;

export async function readDisclosure(conn: DuckDBConnection, q: { year: number; village: string; month: string }): Promise<Disclosure> {
  if (!/^\d{12}$/.test(q.village)) throw new QueryError('village', `village 应为 12 位村区划代码 (got "${q.village}")`);
  if (parsePeriod(q.month, q.year) !== 'month') throw new QueryError('month', `month 应为 YYYY-MM，如 ${q.year}-03 (got "${q.month}")`);
  const params = { year: q.year, village: q.village, month: q.month };
  const list = await rows<DisclosureRow>(
    conn,
    `SELECT mask_name(e.name) AS name, mask_id(c.person_id) AS person_id, coalesce(f.facility_name, c.facility_code) AS facility,
            c.admission_date::VARCHAR AS admission_date, c.discharge_date::VARCHAR AS discharge_date,
            greatest(c.discharge_date - coalesce(c.admission_date, c.discharge_date), 1) AS days,
            c.total_cost::VARCHAR AS total_cost, c.reimbursed::VARCHAR AS reimbursed
     FROM (SELECT * FROM ${ANALYTICS_TABLES.claims} WHERE ${LISTED}) c
     LEFT JOIN enrollment e ON e.year = c.year AND e.person_id = c.person_id
     LEFT JOIN facilities f ON f.facility_code = c.facility_code
     ORDER BY c.discharge_date, c.claim_id`,
    params,
  );
  const [t] = await rows<Disclosure['totals']>(
    conn,
    `SELECT count(*)::INTEGER AS stays, coalesce(sum(reimbursed), 0)::VARCHAR AS reimbursed, coalesce(sum(total_cost), 0)::VARCHAR AS total_cost
     FROM ${ANALYTICS_TABLES.claims} WHERE ${LISTED}`,
    params,
  );
  const names = new Map(
    (
      await rows<{ code: string; name: string }>(
        conn,
        `SELECT division_code AS code, name FROM ${ANALYTICS_TABLES.indicators} WHERE year = $year AND division_code IN ($village, left($village, 9), left($village, 6))`,
        { year: q.year, village: q.village },
      )
    ).map((r) => [r.code, r.name]),
  );
  const township = q.village.slice(0, 9);
  return {
    year: q.year,
    month: q.month,
    county: names.get(q.village.slice(0, 6)) ?? null,
    township: { code: township, name: names.get(township) ?? null },
    village: { code: q.village, name: names.get(q.village) ?? null },
    rows: list,
    totals: t!,
  };
}
