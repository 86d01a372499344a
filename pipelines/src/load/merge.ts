/**
 * Merge the checked rows of one file into its core table by key: new keys load,
 * changed rows replace the old ones (recording the batch), identical rows stay as
 * they are. Everything here runs inside the file's transaction.
 */
import type { KindSpec } from '@ncms/extracts';
import type { DuckDBConnection } from '@ncms/warehouse';
import { bumpGenerations, CORE_YEAR_COLUMN, query, sqlIdent as q, withSetting } from '@ncms/warehouse';
import { goodRowsSql, keyMatch } from '../validate/problems.ts';

export const CORE_TABLE: Record<KindSpec['kind'], keyof typeof CORE_YEAR_COLUMN> = {
  census: 'census',
  facilities: 'facilities',
  enrollment: 'enrollment',
  his: 'claims',
  ledger: 'ledger',
};

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
 * rows), so a first load of a year is a plain insert. The years whose rows changed get this
 * batch as their generation, in the same transaction (what a read's staleness check looks at).
 */
export async function mergeIntoCore(conn: DuckDBConnection, spec: KindSpec, valueColumns: readonly string[], batchId: number): Promise<MergeCounts> {
  const table = CORE_TABLE[spec.kind];
  const yearColumn = CORE_YEAR_COLUMN[table];
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
    // A replaced row may move to another year (a claim's discharge date corrected): both years changed.
    const oldYear = yearColumn ? `, o.${q(yearColumn)} AS old_year` : '';
    await conn.run(`
      CREATE OR REPLACE TEMP TABLE matched AS
        SELECT ${spec.key.map((k) => `g.${q(k)}`).join(', ')}, g.row_hash, o.row_hash AS old_hash${changeCols}${oldYear}
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
  if (inserted > 0) {
    // The new rows are the table's last (batch ids grow), so zone maps keep this read to them.
    const years = yearColumn
      ? await query<{ y: number }>(
          conn,
          `SELECT DISTINCT ${q(yearColumn)} AS y FROM ${table} WHERE batch_id = ${batchId}${replaced > 0 ? ' UNION SELECT old_year FROM matched WHERE old_hash <> row_hash' : ''}`,
        )
      : [{ y: 0 }];
    await bumpGenerations(conn, table, years.map((r) => Number(r.y)), batchId);
  }
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

/** Drops what the merge left on the connection. */
export async function dropMerged(conn: DuckDBConnection): Promise<void> {
  await conn.run('DROP TABLE IF EXISTS matched');
}
