/**
 * An analyst query's result as a file: CSV and XLSX built in the file worker; Parquet and Arrow
 * IPC keep the column types the sandbox reported, by loading the rows (written as JSON lines by
 * the worker) into a scratch in-memory DuckDB of this process — trusted code on rows, not the
 * analyst's SQL. Types DuckDB cannot read back from JSON (MAP, UNION) are refused with a 400 that
 * says what to do instead.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { arrowStream, arrowTable, sqlString } from '@ncms/warehouse';
import { ParamError } from './filters';
import { offLoop } from './files/off-loop';
import { uniqueNames } from './files/answer-formats';

export const RESULT_FORMATS = ['csv', 'xlsx', 'parquet', 'arrow'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

export const RESULT_TYPES: Record<ResultFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
};
export const RESULT_EXTENSIONS: Record<ResultFormat, string> = { csv: 'csv', xlsx: 'xlsx', parquet: 'parquet', arrow: 'arrows' };

/** Column types that do not survive JSON on the way into Parquet or Arrow. */
const NOT_FROM_JSON = /\b(MAP|UNION)\(/;

export interface ResultFile {
  file: Uint8Array;
  rows: number;
  truncated: boolean;
}

/** Parquet or Arrow: the rows loaded into a scratch DuckDB with their reported types. */
async function typed(answer: string[], format: 'parquet' | 'arrow'): Promise<ResultFile> {
  const dir = await mkdtemp(join(tmpdir(), 'ncms-result-'));
  try {
    const json = join(dir, 'rows.json');
    const about = await offLoop({ op: 'answer-ndjson', answer, out: json });
    const bad = about.columns.filter((c) => NOT_FROM_JSON.test(c.type));
    if (bad.length)
      throw new ParamError(
        'format',
        `${format === 'parquet' ? 'Parquet' : 'Arrow'} 导出不支持 MAP、UNION 类型的列（${bad.map((c) => `${c.name}: ${c.type}`).join('；')}）：请在查询中把它们转为文本，如 CAST(列 AS VARCHAR)，或改为导出 CSV / XLSX`,
      );
    const names = uniqueNames(about.columns);
    const columns = `{${names.map((n, i) => `${sqlString(n)}: ${sqlString(about.columns[i]!.type)}`).join(', ')}}`;
    const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '512MB' });
    const conn = await instance.connect();
    try {
      try {
        await conn.run(`CREATE TABLE result AS SELECT * FROM read_json(${sqlString(json)}, format = 'newline_delimited', columns = ${columns})`);
      } catch (e) {
        throw new ParamError('format', `无法把此结果转为 ${format === 'parquet' ? 'Parquet' : 'Arrow'}：请改为导出 CSV / XLSX，或把特殊类型的列转为文本 (${(e as Error).message.split('\n')[0]})`);
      }
      if (format === 'arrow') return { ...about, file: arrowStream(await arrowTable(conn, 'SELECT * FROM result')) };
      const out = join(dir, 'result.parquet');
      await conn.run(`COPY result TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`);
      return { ...about, file: await readFile(out) };
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The file of an answer (`answer`: the JSON text the sandbox wrote, in its parts). */
export async function resultFile(answer: string[], format: ResultFormat): Promise<ResultFile> {
  if (format === 'csv' || format === 'xlsx') return offLoop({ op: 'answer', answer, format });
  return typed(answer, format);
}
