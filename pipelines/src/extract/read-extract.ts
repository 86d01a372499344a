/**
 * Reads one extract file into the temp table `extract_rows` (typed, good rows only) on a
 * connection, with the problems of its bad rows: the load pipeline's reading and checking
 * without the warehouse's batches, for commands that work on files alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KindSpec } from '@ncms/extracts';
import { query, type DuckDBConnection } from '@ncms/warehouse';
import { dropStage } from './stage.ts';
import { checkFile } from '../validate/check-file.ts';
import { dropClassified, type Problem } from '../load/merge.ts';

export async function readExtract(conn: DuckDBConnection, spec: KindSpec, path: string): Promise<{ rows: number; problems: Problem[] }> {
  const tmp = await mkdtemp(join(tmpdir(), 'ncms-read-'));
  try {
    await checkFile(conn, spec, path, { tmpDir: tmp });
    const problems = await query<Problem>(conn, 'SELECT line, column_name, reason FROM problems ORDER BY line');
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
