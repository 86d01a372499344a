/**
 * How DuckDB reads one prepared file: its header mapped to canonical names, and a relation
 * of the file's rows (canonical names, text) that the validation pass reads straight from
 * the file, so no text copy of the rows is ever made. Rows the CSV reader cannot split are
 * kept in `reader_reject_errors` with their line.
 */
import { open } from 'node:fs/promises';
import type { DuckDBConnection } from '@ncms/warehouse';
import { query, sqlIdent as q, sqlString as s } from '@ncms/warehouse';
import { FileRejection, mapHeaders, describeMissing, type KindSpec, type PreparedFile, type HeaderMapping } from '@ncms/extracts';

export interface FileSource {
  mapping: HeaderMapping;
  /** A relation of the rows: canonical columns as text, and `__line` when `hasLine`. */
  relation: string;
  /** The file carries each row's line (XLSX sheet rows, Parquet row numbers); otherwise it is the record's position. */
  hasLine: boolean;
  /** CSV read with the reader's rejects kept in `reader_reject_errors`. */
  keepsRejects: boolean;
}

/**
 * The delimiter, judged from the header line alone: DuckDB's sniffer samples data rows too,
 * and one broken row can make it choose wrong and lose the whole file.
 */
async function delimiterOf(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const header = buf.subarray(0, bytesRead).toString('utf8').split(/\r?\n/)[0] ?? '';
    const counts = [',', '\t', ';', '|'].map((d) => [d, header.split(d).length - 1] as const);
    const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
    return best[1] > 0 ? best[0] : ',';
  } finally {
    await fh.close();
  }
}

/** `rejects`: keep the rows the reader cannot split; `skip`: pass over them (reading the header); `fail`: stop. */
function reader(p: PreparedFile, delim: string, badRows: 'rejects' | 'skip' | 'fail'): string {
  if (p.readAs === 'parquet') return `read_parquet(${s(p.readPath)}, file_row_number = true)`;
  const rejects =
    badRows === 'rejects'
      ? ", store_rejects = true, rejects_scan = 'reader_reject_scans', rejects_table = 'reader_reject_errors'"
      : badRows === 'skip'
        ? ', ignore_errors = true'
        : '';
  return `read_csv(${s(p.readPath)}, header = true, all_varchar = true, delim = ${s(delim)}, quote = '"', escape = '"', null_padding = false${rejects})`;
}

export async function dropReaderRejects(conn: DuckDBConnection): Promise<void> {
  await conn.run('DROP TABLE IF EXISTS reader_reject_errors; DROP TABLE IF EXISTS reader_reject_scans;');
}

/** Reads the header, maps it to the kind's columns (rejecting a file that lacks required ones) and gives the rows' relation. */
export async function openSource(conn: DuckDBConnection, spec: KindSpec, p: PreparedFile): Promise<FileSource> {
  await dropReaderRejects(conn);
  const delim = p.readAs === 'csv' ? await delimiterOf(p.readPath) : ',';
  let headers: string[];
  try {
    const described = await query<{ column_name: string }>(conn, `DESCRIBE SELECT * FROM ${reader(p, delim, 'skip')}`);
    headers = described.map((r) => r.column_name).filter((h) => h !== '__line' && h !== 'file_row_number');
  } catch (e) {
    throw new FileRejection(`文件无法按 ${p.readAs === 'csv' ? 'CSV' : 'Parquet'} 读取：${(e as Error).message.split('\n')[0]}`);
  }
  const mapping = mapHeaders(spec, headers);
  if (mapping.missingRequired.length > 0)
    throw new FileRejection(
      `缺少必需的列：${describeMissing(spec, mapping.missingRequired)} (missing required columns)。文件中的列为：${headers.join(', ')}`,
    );
  const cols = [...mapping.columns].map(([canon, header]) => `CAST(${q(header)} AS VARCHAR) AS ${q(canon)}`).join(', ');
  if (p.readAs === 'parquet' || p.hasLineColumn) {
    const line = p.readAs === 'parquet' ? 'file_row_number + 1' : 'CAST(__line AS BIGINT)';
    return { mapping, relation: `(SELECT ${line} AS __line, ${cols} FROM ${reader(p, delim, 'fail')})`, hasLine: true, keepsRejects: false };
  }
  return { mapping, relation: `(SELECT ${cols} FROM ${reader(p, delim, 'rejects')})`, hasLine: false, keepsRejects: true };
}

export interface ReaderReject {
  line: number;
  reason: string;
  /** The reader found bytes that are not UTF-8 on this line. */
  encoding: boolean;
}

/** Rows the CSV reader rejected, one per line. */
export async function readerRejects(conn: DuckDBConnection): Promise<ReaderReject[]> {
  const rows = await query<{ line: number; reason: string; encoding: boolean }>(
    conn,
    `SELECT line, first(error_type || ': ' || error_message) AS reason, bool_or(error_type = 'INVALID ENCODING') AS encoding
     FROM reader_reject_errors GROUP BY line ORDER BY line`,
  );
  return rows.map((r) => ({ line: Number(r.line), reason: r.reason, encoding: r.encoding }));
}

/**
 * The line a user sees for each row of a table built from a CSV in read order: the record's
 * position + 2 (header, 1-based), counting the records the reader rejected before it.
 */
export function csvLineSql(table: string, rejected: number): string {
  if (rejected === 0) return `${table}.rowid + 2`;
  return `${table}.rowid + 2 + (SELECT count(*) FROM (
      SELECT (line - 2) - (row_number() OVER (ORDER BY line) - 1) AS good_before FROM (SELECT DISTINCT line FROM reader_reject_errors)
    ) rej WHERE rej.good_before <= ${table}.rowid)`;
}
