/**
 * The sign-off history and the archive of sent reports, in the warehouse (migration 012). Each
 * call takes the connection it is given: recording runs inside the platform's write, so the
 * version check and the insert see the same data.
 */
import { createHash } from 'node:crypto';
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import type { SignoffAction, SignoffEvent } from './state.ts';

/** Which report: the county's (no township) or a township's, for one period of a year. */
export interface ReportKey {
  year: number;
  period: string;
  township?: string;
}

const keyParams = (k: ReportKey) => [k.year, k.period, k.township ?? ''];

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The report's events, oldest first, each submission with its archived files' hashes. */
export async function readSignoffs(conn: DuckDBConnection, key: ReportKey): Promise<SignoffEvent[]> {
  const found = await rows<{ id: number; action: SignoffAction; by: string; at: string; dataVersion: string; dataAsOf: string; files: { format: string; sha256: string }[] | null }>(
    conn,
    `SELECT s.id, s.action, s.by_name AS "by",
            strftime(s.signed_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S') AS "at",
            s.data_version AS "dataVersion", s.data_as_of AS "dataAsOf",
            (SELECT list({'format': a.format, 'sha256': a.sha256} ORDER BY a.format) FROM report_archive a WHERE a.signoff_id = s.id AND a.format <> 'json') AS files
     FROM report_signoff s WHERE s.year = $1 AND s.period = $2 AND s.township = $3 ORDER BY s.id`,
    keyParams(key),
  );
  return found.map(({ files, ...e }) => ({
    ...e,
    id: Number(e.id),
    ...(e.action === 'submitted' && files ? { files: Object.fromEntries(files.map((f) => [f.format, f.sha256])) } : {}),
  }));
}

/** Appends one event; a submission's files (format → bytes) are archived with it. Returns its id. */
export async function recordSignoff(
  conn: DuckDBConnection,
  key: ReportKey,
  e: { action: SignoffAction; by: string; dataVersion: string; dataAsOf: string },
  files: Record<string, Uint8Array> = {},
): Promise<number> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const [inserted] = await rows<{ id: number }>(
      conn,
      `INSERT INTO report_signoff (year, period, township, action, by_name, data_version, data_as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [...keyParams(key), e.action, e.by, e.dataVersion, e.dataAsOf],
    );
    const id = Number(inserted!.id);
    for (const [format, bytes] of Object.entries(files)) {
      await conn.run(`INSERT INTO report_archive VALUES ($1, $2, $3, from_base64($4))`, [id, format, sha256(bytes), Buffer.from(bytes).toString('base64')]);
    }
    await conn.run('COMMIT');
    return id;
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  }
}

/** One archived file of a submission, with the hash recorded when it was sent; undefined if absent. */
export async function readArchived(conn: DuckDBConnection, signoffId: number, format: string): Promise<{ bytes: Buffer; sha256: string; key: ReportKey; at: string } | undefined> {
  const [r] = await rows<{ b64: string; sha256: string; year: number; period: string; township: string; at: string }>(
    conn,
    `SELECT to_base64(a.bytes) AS b64, a.sha256, s.year, s.period, s.township,
            strftime(s.signed_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S') AS "at"
     FROM report_archive a JOIN report_signoff s ON s.id = a.signoff_id WHERE a.signoff_id = $1 AND a.format = $2`,
    [signoffId, format],
  );
  if (!r) return undefined;
  return { bytes: Buffer.from(r.b64, 'base64'), sha256: r.sha256, key: { year: r.year, period: r.period, ...(r.township ? { township: r.township } : {}) }, at: r.at };
}
