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
import { checkFile } from './check-file.ts';
import { dropChecked, goodRowsSql, type Problem } from './problems.ts';

export async function readExtract(conn: DuckDBConnection, spec: KindSpec, path: string): Promise<{ rows: number; problems: Problem[] }> {
  const tmp = await mkdtemp(join(tmpdir(), 'ncms-read-'));
  try {
    const { compiled } = await checkFile(conn, spec, path, { tmpDir: tmp });
    const problems = await query<Problem>(conn, 'SELECT line, column_name, reason FROM problems ORDER BY line');
    await conn.run(`DROP TABLE IF EXISTS extract_rows;
      CREATE TEMP TABLE extract_rows AS ${goodRowsSql(compiled.valueColumns)}`);
    const [n] = await query<{ n: number }>(conn, 'SELECT count(*) AS n FROM extract_rows');
    return { rows: n!.n, problems };
  } finally {
    await dropChecked(conn).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}
