/**
 * Reads one extract file into the temp table `extract_rows` (typed, good rows only) on a
 * connection, with the problems of its bad rows: the load pipeline's reading and checking
 * without the warehouse's batches, for commands that work on files alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareFile, type KindSpec } from '@ncms/extracts';
import { query, type DuckDBConnection } from '@ncms/warehouse';
import { stageFile, dropStage } from './stage.ts';
import { compileKind } from '../validate/compile.ts';
import { check, collectProblems, dropClassified, type Problem } from '../load/merge.ts';

export async function readExtract(conn: DuckDBConnection, spec: KindSpec, path: string): Promise<{ rows: number; problems: Problem[] }> {
  const tmp = await mkdtemp(join(tmpdir(), 'ncms-read-'));
  try {
    const prepared = await prepareFile(path, { tmpDir: tmp });
    const staged = await stageFile(conn, spec, prepared);
    const compiled = compileKind(spec, staged.mapping.columns.keys());
    await check(conn, spec, compiled.checkSql);
    await collectProblems(conn, spec, compiled.problemsSql);
    const problems = [
      ...staged.parseRejects.map((r) => ({ line: r.line, column_name: null, reason: `CSV 行无法解析 (${r.reason})` })),
      ...(await query<Problem>(conn, 'SELECT line, column_name, reason FROM problems ORDER BY line')),
    ];
    await conn.run(`DROP TABLE IF EXISTS extract_rows;
      CREATE TEMP TABLE extract_rows AS SELECT * EXCLUDE (bad) FROM chk c
      WHERE NOT bad AND NOT EXISTS (SELECT 1 FROM dup d WHERE ${spec.key.map((k) => `d."${k}" = c."${k}"`).join(' AND ')} AND c.__line > d.first_line)`);
    const [n] = await query<{ n: number }>(conn, 'SELECT count(*) AS n FROM extract_rows');
    return { rows: n!.n, problems };
  } finally {
    await dropClassified(conn).catch(() => undefined);
    await dropStage(conn).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}
