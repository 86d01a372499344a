/**
 * Load one extract file atomically: hash → (skip if seen) → prepare → stage →
 * validate → quarantine → merge, the durable writes in one transaction so a crash
 * leaves the database as it was before the file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRejection, hashFile, type Encoding, type KindSpec, type PreparedFile } from '@ncms/extracts';
import { query, transaction, type DuckDBConnection } from '@ncms/warehouse';
import { checkFile } from '../validate/check-file.ts';
import { dropChecked, type ReasonCount } from '../validate/problems.ts';
import { mergeIntoCore, dropMerged, type MergeCounts } from './merge.ts';

export type FileStatus = 'loaded' | 'unchanged' | 'rejected' | 'rejected_earlier';

export interface FileResult {
  kind: KindSpec['kind'];
  path: string;
  status: FileStatus;
  reason?: string;
  batchId?: number;
  format?: string;
  encoding?: string | null;
  rows: MergeCounts & { total: number; quarantined: number };
  unknownColumns: string[];
  /** The first problems of quarantined rows, for the summary. */
  problems: { line: number; column_name: string | null; reason: string }[];
  /** Every problem of the file counted by column and reason (a summary by reason, as the demo prints). */
  reasons: ReasonCount[];
}

export interface LoadOptions {
  runId?: number;
  retryRejected?: boolean;
  /** Quarantined rows ÷ data rows above this rejects the file (spec: 0.05). */
  maxBadShare?: number;
  encoding?: Encoding;
  /** The file's content hash when the caller is already computing it (ingest hashes the next file ahead). */
  contentHash?: Promise<string>;
  /** Called as a large file moves through its stages, for progress displays. */
  onPhase?: (phase: LoadPhase) => void;
}

export type LoadPhase = 'hashing' | 'checking' | 'merging';

const ZERO_MERGE: MergeCounts = { loaded: 0, replaced: 0, unchanged: 0 };
const ZERO = { total: 0, quarantined: 0, ...ZERO_MERGE };

async function recordBatch(
  conn: DuckDBConnection,
  b: { id?: number; kind: string; path: string; hash: string; size: number; format?: string; encoding?: string | null; status: 'loaded' | 'rejected'; reason?: string; rows: FileResult['rows']; unknown: string[]; startedAt: Date; runId?: number },
): Promise<number> {
  const [row] = await query<{ id: number }>(
    conn,
    `INSERT INTO batches (batch_id, run_id, kind, file_path, content_hash, size_bytes, format, encoding, status, reason,
        rows_total, rows_loaded, rows_replaced, rows_unchanged, rows_quarantined, unknown_columns, started_at, finished_at)
     VALUES (coalesce($id, nextval('batch_seq')), $run, $kind, $path, $hash, $size, $format, $encoding, $status, $reason, $total, $loaded, $replaced, $unchanged, $quarantined,
        from_json($unknown, '["VARCHAR"]'), $started::TIMESTAMPTZ, now())
     RETURNING batch_id AS id`,
    {
      id: b.id ?? null,
      run: b.runId ?? null,
      kind: b.kind,
      path: b.path,
      hash: b.hash,
      size: b.size,
      format: b.format ?? null,
      encoding: b.encoding ?? null,
      status: b.status,
      reason: b.reason ?? null,
      total: b.rows.total,
      loaded: b.rows.loaded,
      replaced: b.rows.replaced,
      unchanged: b.rows.unchanged,
      quarantined: b.rows.quarantined,
      unknown: JSON.stringify(b.unknown),
      started: b.startedAt.toISOString(),
    },
  );
  return row!.id;
}

/** Test hook: pause inside the transaction so a kill test can strike mid-load deterministically. */
async function pauseForCrashTest(): Promise<void> {
  const marker = process.env.NCMS_TEST_PAUSE_BEFORE_COMMIT;
  if (!marker) return;
  await writeFile(marker, String(process.pid));
  await new Promise((r) => setTimeout(r, 60_000));
}

export async function loadFile(conn: DuckDBConnection, spec: KindSpec, path: string, opts: LoadOptions = {}): Promise<FileResult> {
  const startedAt = new Date();
  const base = { kind: spec.kind, path, unknownColumns: [] as string[], problems: [] as FileResult['problems'], reasons: [] as ReasonCount[] };
  let hash: string;
  let size = 0;
  try {
    opts.onPhase?.('hashing');
    hash = await (opts.contentHash ?? hashFile(path));
  } catch (e) {
    return { ...base, status: 'rejected', reason: `文件无法读取：${(e as Error).message}`, rows: { ...ZERO } };
  }
  const [seen] = await query<{ status: string; reason: string | null }>(
    conn,
    'SELECT status, reason FROM batches WHERE content_hash = $1 AND kind = $2 ORDER BY batch_id DESC LIMIT 1',
    [hash, spec.kind],
  );
  if (seen?.status === 'loaded') return { ...base, status: 'unchanged', rows: { ...ZERO } };
  if (seen?.status === 'rejected' && !opts.retryRejected)
    return { ...base, status: 'rejected_earlier', reason: seen.reason ?? '', rows: { ...ZERO } };

  const tmp = await mkdtemp(join(tmpdir(), 'ncms-load-'));
  let prepared: PreparedFile | undefined;
  const reject = async (reason: string, rows: FileResult['rows'], unknown: string[] = [], problems: FileResult['problems'] = [], reasons: ReasonCount[] = []) => {
    const batchId = await transaction(conn, async () => {
      const id = await recordBatch(conn, {
        kind: spec.kind, path, hash, size: prepared?.sizeBytes ?? size, format: prepared?.format, encoding: prepared?.encoding,
        status: 'rejected', reason, rows, unknown, startedAt, runId: opts.runId,
      });
      if (problems.length) await conn.run(`INSERT INTO quarantine SELECT ${id}, line, column_name, reason FROM problems`);
      return id;
    });
    return { ...base, status: 'rejected' as const, reason, batchId, rows, unknownColumns: unknown, problems: problems.slice(0, 5), reasons, format: prepared?.format, encoding: prepared?.encoding };
  };
  try {
    let checked;
    opts.onPhase?.('checking');
    try {
      checked = await checkFile(conn, spec, path, { tmpDir: tmp, encoding: opts.encoding, contentHash: hash });
    } catch (e) {
      if (e instanceof FileRejection) return await reject(e.message, { ...ZERO });
      throw e;
    }
    prepared = checked.prepared;
    size = prepared.sizeBytes;
    const { compiled, dataRows, badRows, firstProblems: problems, reasons } = checked;
    const unknown = checked.mapping.unknown;
    const checkedRows = { total: dataRows, quarantined: badRows, ...ZERO_MERGE };
    const maxShare = opts.maxBadShare ?? 0.05;
    if (badRows / dataRows > maxShare) {
      const first = problems.slice(0, 3).map((p) => `第 ${p.line} 行 ${p.column_name ?? ''} ${p.reason}`).join('；');
      const pct = ((badRows / dataRows) * 100).toFixed(1);
      return await reject(
        `错误行过多：${badRows}/${dataRows} 行 (${pct}%) 超过 ${(maxShare * 100).toFixed(0)}% 上限，整个文件未载入。请修正后重新放入。例如：${first}`,
        checkedRows,
        unknown,
        problems,
        reasons,
      );
    }

    opts.onPhase?.('merging');
    const { batchId, rows } = await transaction(conn, async () => {
      // The rows carry the batch id, and the batch row carries what the merge counted.
      const [{ id } = { id: 0 }] = await query<{ id: number }>(conn, "SELECT nextval('batch_seq') AS id");
      const counts = await mergeIntoCore(conn, spec, compiled.valueColumns, id);
      const rows = { ...checkedRows, ...counts };
      await recordBatch(conn, {
        id, kind: spec.kind, path, hash, size, format: prepared!.format, encoding: prepared!.encoding,
        status: 'loaded', rows, unknown, startedAt, runId: opts.runId,
      });
      await conn.run(`INSERT INTO quarantine SELECT ${id}, line, column_name, reason FROM problems`);
      await pauseForCrashTest();
      return { batchId: id, rows };
    });
    return { ...base, status: 'loaded', batchId, rows, unknownColumns: unknown, problems: problems.slice(0, 5), reasons, format: prepared!.format, encoding: prepared!.encoding };
  } finally {
    await dropMerged(conn).catch(() => undefined);
    await dropChecked(conn).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}
