/**
 * The platform's own record, for the data-quality page and the command line: pipeline runs,
 * the files (batches) they loaded or rejected, bad rows by reason, and the findings judged
 * between extracts (units absent from the census, claims at unknown facilities, claims of
 * persons not enrolled, enrolment moves).
 */
import { rows, type DuckDBConnection } from '@ncms/warehouse';

export interface RunRow {
  run_id: number;
  trigger: string;
  source_dir: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  files_loaded: number;
  files_unchanged: number;
  files_rejected: number;
  rows_loaded: number;
  rows_replaced: number;
  rows_quarantined: number;
  error: string | null;
}

const TIME = (c: string) => `strftime(${c} AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S')`;

/** The latest runs, newest first. */
export function readRuns(conn: DuckDBConnection, limit = 50): Promise<RunRow[]> {
  return rows<RunRow>(
    conn,
    `SELECT run_id, trigger, source_dir, ${TIME('started_at')} AS started_at, ${TIME('finished_at')} AS finished_at, status,
            files_loaded, files_unchanged, files_rejected, rows_loaded, rows_replaced, rows_quarantined, error
     FROM pipeline_runs ORDER BY run_id DESC LIMIT ${Math.max(1, Math.min(1000, Math.trunc(limit)))}`,
  );
}

export interface BatchRow {
  batch_id: number;
  run_id: number | null;
  kind: string;
  file_path: string;
  status: string;
  reason: string | null;
  rows_total: number;
  rows_loaded: number;
  rows_replaced: number;
  rows_unchanged: number;
  rows_quarantined: number;
  finished_at: string;
}

/** Files seen, newest first; `status` 'rejected' for the rejected ones only. */
export function readBatches(conn: DuckDBConnection, opts: { status?: 'loaded' | 'rejected'; limit?: number } = {}): Promise<BatchRow[]> {
  return rows<BatchRow>(
    conn,
    `SELECT batch_id, run_id, kind, file_path, status, reason, rows_total, rows_loaded, rows_replaced, rows_unchanged, rows_quarantined,
            ${TIME('finished_at')} AS finished_at
     FROM batches ${opts.status ? 'WHERE status = $status' : ''} ORDER BY batch_id DESC LIMIT ${Math.max(1, Math.min(1000, Math.trunc(opts.limit ?? 100)))}`,
    opts.status ? { status: opts.status } : undefined,
  );
}

export interface QuarantineReason {
  kind: string;
  file_path: string;
  column_name: string | null;
  reason: string;
  rows: number;
  first_line: number;
}

/** Bad rows grouped by file, column and reason, with the first line of each. */
export function readQuarantine(conn: DuckDBConnection, limit = 200): Promise<QuarantineReason[]> {
  return rows<QuarantineReason>(
    conn,
    `SELECT b.kind, b.file_path, q.column_name, q.reason, count(*) AS rows, min(q.line) AS first_line
     FROM quarantine q JOIN batches b USING (batch_id)
     GROUP BY ALL ORDER BY rows DESC, b.file_path, first_line LIMIT ${Math.max(1, Math.min(1000, Math.trunc(limit)))}`,
  );
}

export interface Finding {
  code: 'unknown_division' | 'unknown_facility' | 'non_enrolled' | 'enrolment_moved';
  year: number | null;
  /** The village, facility or person concerned (persons masked, with what changed). */
  subject: string;
  count: number;
  amount: string | null;
}

/** Findings judged between extracts at query time (spec: load what is well-formed; judge references when computing). */
export async function readFindings(conn: DuckDBConnection, year?: number): Promise<Finding[]> {
  const y = (col: string) => (year === undefined ? 'true' : `${col} = ${Math.trunc(year)}`);
  return rows<Finding>(
    conn,
    `SELECT 'unknown_division' AS code, year, division_code AS subject, enrollees AS count, NULL::VARCHAR AS amount
     FROM finding_enrollment_unknown_village WHERE ${y('year')}
     UNION ALL
     SELECT 'unknown_facility', year, facility_code, claims, NULL FROM finding_claims_unknown_facility WHERE ${y('year')}
     UNION ALL
     SELECT 'non_enrolled', year, NULL, claims, reimbursed::VARCHAR FROM finding_claims_not_enrolled WHERE ${y('year')}
     UNION ALL
     -- the key is year/person (masked when recorded); the detail says what moved
     SELECT 'enrolment_moved', TRY_CAST(split_part(key, '/', 1) AS INTEGER), split_part(key, '/', 2) || '：' || detail, 1, NULL
     FROM load_findings WHERE kind = 'enrollment' AND ${y("TRY_CAST(split_part(key, '/', 1) AS INTEGER)")}
     ORDER BY code, year, subject`,
  );
}
