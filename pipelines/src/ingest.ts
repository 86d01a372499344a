/**
 * One pipeline run: every new file of a source directory, in the spec's order,
 * each loaded atomically on its own; a failing file never stops the others.
 * The run and its counts are recorded in pipeline_runs.
 */
import { resolve } from 'node:path';
import { KINDS, KIND_ORDER, hashFile, type KindName } from '@ncms/extracts';
import { isStorageFailure, query, type DuckDBConnection } from '@ncms/warehouse';
import { discover } from './extract/discover.ts';
import { loadFile, type FileResult, type LoadOptions, type LoadPhase } from './load/load-file.ts';

export interface IngestOptions extends Omit<LoadOptions, 'runId' | 'onPhase' | 'contentHash'> {
  kinds?: readonly KindName[];
  trigger?: 'cli' | 'schedule' | 'api' | 'test';
  /** Leave files modified less than this many seconds ago for the next run (scheduled pulls). */
  settleSeconds?: number;
  onFile?: (event: { index: number; total: number; file: string; kind: KindName; result?: FileResult; phase?: LoadPhase }) => void;
}

export interface KindTotals {
  files: number;
  loaded: number;
  replaced: number;
  unchanged: number;
  quarantined: number;
}

export interface Findings {
  enrolleesInUnknownVillages: number;
  claimsAtUnknownFacilities: number;
  claimsOfNonEnrolled: number;
  enrolmentChanges: number;
}

export interface IngestSummary {
  runId: number;
  sourceDir: string;
  files: FileResult[];
  /** Files left for the next run because they were still being written. */
  waiting: string[];
  byKind: Record<KindName, KindTotals>;
  findings: Findings;
  /** True when a file was rejected in this run (not counting files rejected earlier). */
  rejected: boolean;
  startedAt: Date;
  finishedAt: Date;
}

export async function currentFindings(conn: DuckDBConnection): Promise<Findings> {
  const [f] = await query<Findings>(
    conn,
    `SELECT (SELECT coalesce(sum(enrollees), 0) FROM finding_enrollment_unknown_village) AS "enrolleesInUnknownVillages",
            (SELECT coalesce(sum(claims), 0) FROM finding_claims_unknown_facility) AS "claimsAtUnknownFacilities",
            (SELECT coalesce(sum(claims), 0) FROM finding_claims_not_enrolled) AS "claimsOfNonEnrolled",
            (SELECT count(*) FROM load_findings) AS "enrolmentChanges"`,
  );
  return {
    enrolleesInUnknownVillages: Number(f!.enrolleesInUnknownVillages),
    claimsAtUnknownFacilities: Number(f!.claimsAtUnknownFacilities),
    claimsOfNonEnrolled: Number(f!.claimsOfNonEnrolled),
    enrolmentChanges: Number(f!.enrolmentChanges),
  };
}

export async function ingest(conn: DuckDBConnection, sourceDir: string, opts: IngestOptions = {}): Promise<IngestSummary> {
  const startedAt = new Date();
  const kinds = opts.kinds ?? KIND_ORDER;
  const dir = resolve(sourceDir);
  const [run] = await query<{ id: number }>(
    conn,
    `INSERT INTO pipeline_runs (trigger, source_dir, kinds, started_at, status)
     VALUES ($1, $2, from_json($3, '["VARCHAR"]'), now(), 'running') RETURNING run_id AS id`,
    [opts.trigger ?? 'cli', dir, JSON.stringify(kinds)],
  );
  const runId = run!.id;
  const byKind = Object.fromEntries(
    KIND_ORDER.map((k) => [k, { files: 0, loaded: 0, replaced: 0, unchanged: 0, quarantined: 0 }]),
  ) as Record<KindName, KindTotals>;
  const results: FileResult[] = [];
  let waiting: string[] = [];
  try {
    const found = await discover(dir, kinds, (opts.settleSeconds ?? 0) * 1000);
    const files = found.files;
    waiting = found.waiting.map((f) => f.path);
    // Each file's content hash is computed while DuckDB works on the file before it.
    const hashOf = (i: number) => {
      const p = i < files.length ? hashFile(files[i]!.path) : Promise.resolve('');
      p.catch(() => undefined); // a failure is reported when that file's turn comes
      return p;
    };
    let nextHash = hashOf(0);
    for (const [i, f] of files.entries()) {
      const hash = nextHash;
      nextHash = hashOf(i + 1);
      opts.onFile?.({ index: i, total: files.length, file: f.path, kind: f.kind });
      let r: FileResult;
      try {
        const onPhase = (phase: LoadPhase) => opts.onFile?.({ index: i, total: files.length, file: f.path, kind: f.kind, phase });
        r = await loadFile(conn, KINDS[f.kind], f.path, { ...opts, runId, onPhase, contentHash: hash });
      } catch (e) {
        // The database refusing to be written (a full disk) is no fault of the file: the run stops.
        if (isStorageFailure(e)) throw e;
        // An unexpected failure in one file is reported like a rejection; the run goes on.
        r = { kind: f.kind, path: f.path, status: 'rejected', reason: `载入失败：${(e as Error).message}`, rows: { total: 0, loaded: 0, replaced: 0, unchanged: 0, quarantined: 0 }, unknownColumns: [], problems: [], reasons: [] };
      }
      results.push(r);
      const t = byKind[f.kind];
      t.files++;
      if (r.status === 'loaded') {
        t.loaded += r.rows.loaded;
        t.replaced += r.rows.replaced;
        t.unchanged += r.rows.unchanged;
        t.quarantined += r.rows.quarantined;
      }
      opts.onFile?.({ index: i, total: files.length, file: f.path, kind: f.kind, result: r });
    }
  } catch (e) {
    // On a full disk this record cannot be written either: the next opener marks the run 中断.
    await conn.run(`UPDATE pipeline_runs SET finished_at = now(), status = 'failed', error = $2 WHERE run_id = $1`, [runId, (e as Error).message]).catch(() => undefined);
    throw e;
  }
  const rejected = results.some((r) => r.status === 'rejected');
  const count = (s: FileResult['status']) => results.filter((r) => r.status === s).length;
  const sum = (k: 'loaded' | 'replaced' | 'quarantined') => Object.values(byKind).reduce((a, t) => a + t[k], 0);
  await conn.run(
    `UPDATE pipeline_runs SET finished_at = now(), status = $2, files_loaded = $3, files_unchanged = $4, files_rejected = $5,
       rows_loaded = $6, rows_replaced = $7, rows_quarantined = $8 WHERE run_id = $1`,
    [runId, rejected ? 'rejected_files' : 'ok', count('loaded'), count('unchanged'), count('rejected'), sum('loaded'), sum('replaced'), sum('quarantined')],
  );
  return { runId, sourceDir: dir, files: results, waiting, byKind, findings: await currentFindings(conn), rejected, startedAt, finishedAt: new Date() };
}

/**
 * Runs left `running` by a process that ended without finishing them (killed, power cut): the
 * process that opens the database next owns it alone (DuckDB's lock), so they are marked
 * interrupted (中断). Their files were never committed: each file loads in one transaction, so
 * the next run loads them again. Returns the runs marked.
 */
export async function markInterruptedRuns(conn: DuckDBConnection): Promise<number[]> {
  const marked = await query<{ id: number }>(
    conn,
    `UPDATE pipeline_runs SET status = 'interrupted', finished_at = coalesce(finished_at, now()),
       error = coalesce(error, '进程在载入中途结束 (the process ended during the run)')
     WHERE status = 'running' RETURNING run_id AS id`,
  );
  return marked.map((r) => Number(r.id));
}
