/**
 * Read and check one file: prepare (encoding, format) → stage → one validation pass →
 * problems of the bad rows. Leaves temp tables `chk` (checked rows), `dup` (keys repeated in
 * the file) and `problems` (line, column_name, reason — CSV rows the reader could not split
 * included) on the connection; the staged copy is dropped. Whole-file problems throw
 * FileRejection. Used by the load pipeline and by commands that work on files alone.
 */
import { FileRejection, prepareFile, type Encoding, type HeaderMapping, type KindSpec, type PreparedFile } from '@ncms/extracts';
import { query, type DuckDBConnection } from '@ncms/warehouse';
import { stageFile, dropStage } from '../extract/stage.ts';
import { compileKind, type CompiledKind } from './compile.ts';
import { check, collectProblems, type Problem } from '../load/merge.ts';

export interface CheckedFile {
  prepared: PreparedFile;
  mapping: HeaderMapping;
  compiled: CompiledKind;
  dataRows: number;
  badRows: number;
  /** The first problems in line order, for summaries. */
  firstProblems: Problem[];
}

export async function checkFile(
  conn: DuckDBConnection,
  spec: KindSpec,
  path: string,
  opts: { tmpDir: string; encoding?: Encoding; contentHash?: string },
): Promise<CheckedFile> {
  const prepared = await prepareFile(path, opts);
  const staged = await stageFile(conn, spec, prepared);
  if (staged.dataRows === 0) throw new FileRejection('文件没有数据行，只有表头或为空 (no data rows)');
  const compiled = compileKind(spec, staged.mapping.columns.keys());
  await check(conn, spec, compiled.checkSql);
  await collectProblems(conn, spec, compiled.problemsSql);
  for (const r of staged.parseRejects)
    await conn.run('INSERT INTO problems VALUES ($1, NULL, $2)', [r.line, `CSV 行无法解析 (${r.reason})`]);
  await dropStage(conn);
  const [bad] = await query<{ n: number }>(conn, 'SELECT count(DISTINCT line) AS n FROM problems');
  const firstProblems = await query<Problem>(conn, 'SELECT line, column_name, reason FROM problems ORDER BY line LIMIT 20');
  return { prepared, mapping: staged.mapping, compiled, dataRows: staged.dataRows, badRows: bad?.n ?? 0, firstProblems };
}
