/**
 * Stage one prepared file into the temp table `stg`: `__line` (the line a user sees)
 * plus the file's columns renamed to canonical names, all text. DuckDB's own readers
 * do the parsing; rows the CSV reader cannot split come back as `stg_rejects`.
 */
import type { DuckDBConnection } from '@ncms/warehouse';
import { query, sqlIdent as q, sqlString as s } from '@ncms/warehouse';
import { FileRejection, mapHeaders, describeMissing, type KindSpec, type PreparedFile, type HeaderMapping } from '@ncms/extracts';

export interface StageResult {
  mapping: HeaderMapping;
  dataRows: number;
  /** Rows the CSV reader could not split into fields, with their line and message. */
  parseRejects: { line: number; reason: string }[];
}

function reader(p: PreparedFile, withRejects: boolean): string {
  if (p.readAs === 'parquet') return `read_parquet(${s(p.readPath)}, file_row_number = true)`;
  const rejects = withRejects ? ", store_rejects = true, rejects_scan = 'stg_reject_scans', rejects_table = 'stg_reject_errors'" : '';
  return `read_csv(${s(p.readPath)}, header = true, all_varchar = true, auto_detect = true, null_padding = false${rejects})`;
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
    const described = await query<{ column_name: string }>(conn, `DESCRIBE SELECT * FROM ${reader(p, false)}`);
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
    await conn.run(`CREATE TEMP TABLE stg_raw AS SELECT ${line} AS __line, ${cols} FROM ${reader(p, false)}`);
    await conn.run('CREATE TEMP VIEW stg AS SELECT * FROM stg_raw');
  } else {
    // Insertion order is preserved, so rowid is the record's position among the rows read.
    await conn.run(`CREATE TEMP TABLE stg_raw AS SELECT ${cols} FROM ${reader(p, true)}`);
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
