/**
 * Merge the checked rows of one file into its core table by key: new keys load,
 * changed rows replace the old ones (recording the batch), identical rows stay as
 * they are. Everything here runs inside the file's transaction.
 */
import type { KindSpec } from '@ncms/extracts';
import type { DuckDBConnection } from '@ncms/warehouse';
import { query, sqlIdent as q } from '@ncms/warehouse';

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

/** Builds `chk` (checked rows) and `dup` (keys repeated in the file, with their first line). */
export async function check(conn: DuckDBConnection, spec: KindSpec, checkSql: string): Promise<void> {
  await conn.run(`
    DROP TABLE IF EXISTS chk; DROP TABLE IF EXISTS dup;
    CREATE TEMP TABLE chk AS ${checkSql};
    CREATE TEMP TABLE dup AS
      SELECT ${spec.key.map(q).join(', ')}, min(__line) AS first_line FROM chk
      WHERE ${spec.key.map((k) => `${q(k)} IS NOT NULL`).join(' AND ')}
      GROUP BY ALL HAVING count(*) > 1;
  `);
}

/**
 * Builds `incoming`: the good rows beside the core row of the same key (its hash tells
 * unchanged from replaced). `chk` is dropped afterwards, so at most two copies of the
 * file's rows are held at once.
 */
export async function compareWithCore(conn: DuckDBConnection, spec: KindSpec, valueColumns: readonly string[]): Promise<void> {
  const table = CORE_TABLE[spec.kind];
  const changeCols = spec.kind === 'enrollment' ? ', o.division_code AS old_division_code, o.household_id AS old_household_id' : '';
  // With a composite key led by the year, only the core rows of the file's years can match:
  // a roll of one year is compared with that year, not with every year loaded.
  const lead = spec.key.length > 1 ? q(spec.key[0]!) : null;
  const coreSide = lead ? `(SELECT * FROM ${table} WHERE ${lead} IN (SELECT DISTINCT ${lead} FROM chk))` : table;
  await conn.run(`
    DROP TABLE IF EXISTS incoming;
    CREATE TEMP TABLE incoming AS
      SELECT c.* EXCLUDE (bad), hash(${valueColumns.map((n) => `c.${q(n)}`).join(', ')}) AS row_hash, o.row_hash AS old_hash${changeCols}
      FROM chk c
      LEFT JOIN ${coreSide} o ON ${keyMatch(spec, 'o', 'c')}
      WHERE NOT c.bad AND NOT EXISTS (SELECT 1 FROM dup d WHERE ${keyMatch(spec, 'd', 'c')} AND c.__line > d.first_line);
    DROP TABLE chk;
  `);
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

export async function mergeCounts(conn: DuckDBConnection): Promise<MergeCounts> {
  const [r] = await query<MergeCounts>(
    conn,
    `SELECT count(*) FILTER (old_hash IS NULL) AS loaded,
            count(*) FILTER (old_hash IS NOT NULL AND old_hash <> row_hash) AS replaced,
            count(*) FILTER (old_hash = row_hash) AS unchanged
     FROM incoming`,
  );
  return r ?? { loaded: 0, replaced: 0, unchanged: 0 };
}

export async function applyMerge(conn: DuckDBConnection, spec: KindSpec, valueColumns: readonly string[], batchId: number, counts: MergeCounts): Promise<void> {
  const table = CORE_TABLE[spec.kind];
  const cols = valueColumns.map(q).join(', ');
  if (counts.replaced > 0)
    await conn.run(`DELETE FROM ${table} USING incoming i
      WHERE ${keyMatch(spec, table, 'i')} AND i.old_hash IS NOT NULL AND i.old_hash <> i.row_hash`);
  await conn.run(`
    INSERT INTO ${table} (${cols}, batch_id, source_line, row_hash)
      SELECT ${cols}, ${batchId}, __line, row_hash FROM incoming
      WHERE old_hash IS NULL OR old_hash <> row_hash;
  `);
  if (spec.kind === 'enrollment') {
    // The later load wins; a person who moved village or household is surfaced, not hidden.
    await conn.run(`
      INSERT INTO load_findings (batch_id, kind, code, key, detail)
      SELECT ${batchId}, 'enrollment', 'enrolment_changed', year || '/' || mask_id(person_id),
        concat_ws('；',
          CASE WHEN old_division_code <> division_code THEN '区划 ' || old_division_code || ' → ' || division_code END,
          CASE WHEN old_household_id <> household_id THEN '户号 ' || old_household_id || ' → ' || household_id END)
      FROM incoming
      WHERE old_hash IS NOT NULL AND (old_division_code <> division_code OR old_household_id <> household_id)`);
  }
}

export async function dropClassified(conn: DuckDBConnection): Promise<void> {
  await conn.run('DROP TABLE IF EXISTS chk; DROP TABLE IF EXISTS dup; DROP TABLE IF EXISTS incoming; DROP TABLE IF EXISTS problems;');
}
