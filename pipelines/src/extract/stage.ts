/**
 * Stage one prepared file into the temp table `stg`: `__line` (the line a user sees)
 * plus the file's columns renamed to canonical names, all text. DuckDB's own readers
 * do the parsing; rows the CSV reader cannot split come back as `stg_rejects`.
 */
import { open } from 'node:fs/promises';
import type { DuckDBConnection } from '@ncms/warehouse';
import { query, sqlIdent as q, sqlString as s } from '@ncms/warehouse';
import { FileRejection, mapHeaders, describeMissing, type KindSpec, type PreparedFile, type HeaderMapping } from '@ncms/extracts';

export interface StageResult {
  mapping: HeaderMapping;
  dataRows: number;
  /** Rows the CSV reader could not split into fields, with their line and message. */
  parseRejects: { line: number; reason: string }[];
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

/** `rejects`: keep the rows the reader cannot split (staging); `skip`: pass over them (reading the header). */
async function reader(p: PreparedFile, badRows: 'rejects' | 'skip' | 'fail'): Promise<string> {
  if (p.readAs === 'parquet') return `read_parquet(${s(p.readPath)}, file_row_number = true)`;
  const rejects =
    badRows === 'rejects'
      ? ", store_rejects = true, rejects_scan = 'stg_reject_scans', rejects_table = 'stg_reject_errors'"
      : badRows === 'skip'
        ? ', ignore_errors = true'
        : '';
  const delim = await delimiterOf(p.readPath);
  return `read_csv(${s(p.readPath)}, header = true, all_varchar = true, delim = ${s(delim)}, quote = '"', escape = '"', null_padding = false${rejects})`;
}

export async function dropStage(conn: DuckDBConnection): Promise<void> {
  await conn.run(
    'DROP VIEW IF EXISTS stg; DROP TABLE IF EXISTS stg_raw; DROP TABLE IF EXISTS stg_reject_errors; DROP TABLE IF EXISTS stg_reject_scans;',
  );
}

export async function stageFile(conn: DuckDBConnection, spec: KindSpec, p: PreparedFile): Promise<StageResult> {
  await dropStage(conn);
  let headers: string[];
  try {
    const described = await query<{ column_name: string }>(conn, `DESCRIBE SELECT * FROM ${await reader(p, 'skip')}`);
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
  let parseRejects: { line: number; reason: string }[] = [];
  if (p.readAs === 'parquet' || p.hasLineColumn) {
    const line = p.readAs === 'parquet' ? 'file_row_number + 1' : 'CAST(__line AS BIGINT)';
    await conn.run(`CREATE TEMP TABLE stg_raw AS SELECT ${line} AS __line, ${cols} FROM ${await reader(p, 'fail')}`);
    await conn.run('CREATE TEMP VIEW stg AS SELECT * FROM stg_raw');
  } else {
    // Insertion order is preserved, so rowid is the record's position among the rows read.
    await conn.run(`CREATE TEMP TABLE stg_raw AS SELECT ${cols} FROM ${await reader(p, 'rejects')}`);
    parseRejects = (
      await query<{ line: number; reason: string }>(
        conn,
        `SELECT line, first(error_type || ': ' || error_message) AS reason FROM stg_reject_errors GROUP BY line ORDER BY line`,
      )
    ).map((r) => ({ line: Number(r.line), reason: r.reason }));
    if (parseRejects.length === 0) {
      await conn.run('CREATE TEMP VIEW stg AS SELECT rowid + 2 AS __line, * FROM stg_raw');
    } else {
      // Line = record number + 1, counting the records the reader rejected before this one.
      await conn.run(`
        CREATE TEMP VIEW stg AS
        WITH rej AS (SELECT (line - 2) - (row_number() OVER (ORDER BY line) - 1) AS good_before
                     FROM (SELECT DISTINCT line FROM stg_reject_errors))
        SELECT rowid + 2 + (SELECT count(*) FROM rej WHERE rej.good_before <= stg_raw.rowid) AS __line, *
        FROM stg_raw`);
    }
  }
  const [{ n } = { n: 0 }] = await query<{ n: number }>(conn, 'SELECT count(*) AS n FROM stg_raw');
  return { mapping, dataRows: n + parseRejects.length, parseRejects };
}
