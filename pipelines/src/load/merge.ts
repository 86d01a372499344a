/**
 * Merge the checked rows of one file into its core table by key: new keys load,
 * changed rows replace the old ones (recording the batch), identical rows stay as
 * they are. Everything here runs inside the file's transaction.
 */
import type { KindSpec } from '@ncms/extracts';
import type { DuckDBConnection } from '@ncms/warehouse';
import { query, sqlIdent as q, withSetting } from '@ncms/warehouse';
import { dropReaderRejects } from '../extract/source.ts';

export const CORE_TABLE: Record<KindSpec['kind'], string> = {
  census: 'census',
  facilities: 'facilities',
  enrollment: 'enrollment',
  his: 'claims',
  ledger: 'ledger',
};

function keyMatch(spec: KindSpec, a: string, b: string): string {
  return spec.key.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(' AND ');
}

/** Builds `dup`: keys repeated in the file, with the first line that has each. */
export async function findDuplicates(conn: DuckDBConnection, spec: KindSpec): Promise<void> {
  await conn.run(`
    DROP TABLE IF EXISTS dup;
    CREATE TEMP TABLE dup AS
      SELECT ${spec.key.map(q).join(', ')}, min(__line) AS first_line FROM chk
      WHERE ${spec.key.map((k) => `${q(k)} IS NOT NULL`).join(' AND ')}
      GROUP BY ALL HAVING count(*) > 1;
  `);
}

/**
 * The rows of `chk` that load: those without a problem (a bad cell or row, or a key repeated
 * from an earlier line). An anti-join on the lines in `problems` — a short list — rather than a
 * correlated test against `dup`, which DuckDB plans as a join over every row (measured: +0.8 s
 * per 1.9 M rows).
 */
export function goodRowsSql(valueColumns: readonly string[]): string {
  return `SELECT c.__line, ${valueColumns.map((n) => `c.${q(n)}`).join(', ')}, c.row_hash
    FROM chk c ANTI JOIN problems p ON p.line = c.__line WHERE NOT c.bad`;
}

export interface Problem {
  line: number;
  column_name: string | null;
  reason: string;
}

/** Materialises the problems of bad rows (cell rules, row rules, duplicates) as `problems`. */
export async function collectProblems(conn: DuckDBConnection, spec: KindSpec, problemsSql: string): Promise<void> {
  await conn.run(`DROP TABLE IF EXISTS problems; CREATE TEMP TABLE problems AS ${PROBLEMS_SQL(spec, problemsSql)}`);
}

const PROBLEMS_SQL = (spec: KindSpec, problemsSql: string) => `
  SELECT line, column_name, reason FROM (${problemsSql})
  UNION ALL
  SELECT c.__line, ${spec.key.length === 1 ? `'${spec.key[0]}'` : `'${spec.key.join('+')}'`}, '文件内重复：与第 ' || d.first_line || ' 行的键相同 (duplicate of line ' || d.first_line || ')'
  FROM chk c JOIN dup d ON ${keyMatch(spec, 'd', 'c')} WHERE c.__line > d.first_line`;

export interface MergeCounts {
  loaded: number;
  replaced: number;
  unchanged: number;
}

/**
 * Runs `work` with insertion order not preserved: the rows carry their source line, and an
 * insert fed by a join is about twice as fast without the ordering. Restored afterwards,
 * because reading a CSV in order is what gives its rows their lines.
 */
function unordered<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  return withSetting(conn, 'preserve_insertion_order', 'false', work);
}

/**
 * Merges the good rows into the core table under `batchId`. Core rows of the same key are
 * looked up only when the table could hold any (for a key led by the year: that year's
 * rows), so a first load of a year is a plain insert.
 */
export async function mergeIntoCore(conn: DuckDBConnection, spec: KindSpec, valueColumns: readonly string[], batchId: number): Promise<MergeCounts> {
  const table = CORE_TABLE[spec.kind];
  const cols = valueColumns.map(q).join(', ');
  const lead = spec.key.length > 1 ? q(spec.key[0]!) : null;
  const coreSide = lead ? `(SELECT * FROM ${table} WHERE ${lead} IN (SELECT DISTINCT ${lead} FROM chk_rows))` : table;
  const [{ n: candidates } = { n: 0 }] = await query<{ n: number }>(conn, `SELECT count(*) AS n FROM ${coreSide}`);
  await conn.run(`CREATE OR REPLACE TEMP VIEW good AS ${goodRowsSql(valueColumns)}`);

  let replaced = 0;
  let unchanged = 0;
  let source = 'good';
  if (candidates > 0) {
    const changeCols = spec.kind === 'enrollment' ? ', o.division_code AS old_division_code, o.household_id AS old_household_id, g.division_code, g.household_id' : '';
    await conn.run(`
      CREATE OR REPLACE TEMP TABLE matched AS
        SELECT ${spec.key.map((k) => `g.${q(k)}`).join(', ')}, g.row_hash, o.row_hash AS old_hash${changeCols}
        FROM good g JOIN ${coreSide} o ON ${keyMatch(spec, 'o', 'g')}`);
    const [c] = await query<{ replaced: number; unchanged: number }>(
      conn,
      'SELECT count(*) FILTER (old_hash <> row_hash) AS replaced, count(*) FILTER (old_hash = row_hash) AS unchanged FROM matched',
    );
    replaced = c!.replaced;
    unchanged = c!.unchanged;
    if (replaced > 0) {
      if (spec.kind === 'enrollment') await recordEnrolmentChanges(conn, batchId);
      await conn.run(`DELETE FROM ${table} USING matched m WHERE ${keyMatch(spec, table, 'm')} AND m.old_hash <> m.row_hash`);
    }
    if (unchanged > 0) source = `(SELECT g.* FROM good g ANTI JOIN (SELECT * FROM matched WHERE old_hash = row_hash) m ON ${keyMatch(spec, 'm', 'g')})`;
  }
  const inserted = await unordered(conn, async () => {
    const r = await conn.run(`INSERT INTO ${table} (${cols}, batch_id, source_line, row_hash)
      SELECT ${cols}, ${batchId}, __line, row_hash FROM ${source}`);
    return Number(r.rowsChanged);
  });
  return { loaded: inserted - replaced, replaced, unchanged };
}

/** The later load wins; a person who moved village or household is surfaced, not hidden. */
async function recordEnrolmentChanges(conn: DuckDBConnection, batchId: number): Promise<void> {
  await conn.run(`
    INSERT INTO load_findings (batch_id, kind, code, key, detail)
    SELECT ${batchId}, 'enrollment', 'enrolment_changed', year || '/' || mask_id(person_id),
      concat_ws('；',
        CASE WHEN old_division_code <> division_code THEN '区划 ' || old_division_code || ' → ' || division_code END,
        CASE WHEN old_household_id <> household_id THEN '户号 ' || old_household_id || ' → ' || household_id END)
    FROM matched
    WHERE old_hash <> row_hash AND (old_division_code <> division_code OR old_household_id <> household_id)`);
}

/** Drops everything reading and checking a file left on the connection. */
export async function dropChecked(conn: DuckDBConnection): Promise<void> {
  await conn.run(`DROP VIEW IF EXISTS good; DROP VIEW IF EXISTS chk; DROP TABLE IF EXISTS chk_rows; DROP TABLE IF EXISTS dup;
    DROP TABLE IF EXISTS matched; DROP TABLE IF EXISTS problems;`);
  await dropReaderRejects(conn);
}
