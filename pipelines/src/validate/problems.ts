/**
 * What is wrong with the rows of a checked file (`chk`): keys repeated in the file, every
 * problem with its line and column, and which rows load. Also the cleanup of everything the
 * reading and checking left on the connection.
 */
import type { KindSpec } from '@ncms/extracts';
import { query, sqlIdent as q, type DuckDBConnection } from '@ncms/warehouse';
import { dropReaderRejects } from '../extract/source.ts';

export function keyMatch(spec: KindSpec, a: string, b: string): string {
  return spec.key.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(' AND ');
}

/**
 * Builds `dup`: keys repeated in the file, with the first line that has each, and whether the
 * rows disagree about the key's holder (an ID conflict rather than a duplicate).
 */
export async function findDuplicates(conn: DuckDBConnection, spec: KindSpec): Promise<void> {
  const holder = spec.holder ?? [];
  const conflict = holder.length ? holder.map((h) => `count(DISTINCT ${q(h.column)}) > 1`).join(' OR ') : 'false';
  await conn.run(`
    DROP TABLE IF EXISTS dup;
    CREATE TEMP TABLE dup AS
      SELECT ${spec.key.map(q).join(', ')}, min(__line) AS first_line, ${conflict} AS conflict FROM chk
      WHERE ${spec.key.map((k) => `${q(k)} IS NOT NULL`).join(' AND ')}
      GROUP BY ${spec.key.map(q).join(', ')} HAVING count(*) > 1;
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

/** A duplicate's reason names the line it repeats; counted by reason, all duplicates are one. */
const DUPLICATE = { prefix: '文件内重复：', counted: '文件内重复 (duplicate key in the file)' } as const;
/** An ID conflict's reason names the other line and both holders; counted by reason, all are one. */
const CONFLICT = { prefix: '身份证号冲突：', counted: '身份证号冲突 (one ID number, different persons)' } as const;

const PROBLEMS_SQL = (spec: KindSpec, problemsSql: string) => `
  SELECT line, column_name, reason FROM (${problemsSql})
  UNION ALL
  SELECT c.__line, ${keyName(spec)}, '${DUPLICATE.prefix}与第 ' || d.first_line || ' 行的键相同 (duplicate of line ' || d.first_line || ')'
  FROM chk c JOIN dup d ON ${keyMatch(spec, 'd', 'c')} WHERE c.__line > d.first_line AND NOT d.conflict
  ${spec.holder?.length ? `UNION ALL ${conflictsSql(spec)}` : ''}`;

const keyName = (spec: KindSpec) => `'${spec.key.join('+')}'`;

/**
 * Every row of a key whose rows disagree about its holder, beside the first other line that
 * differs: 身份证号冲突：与第 N 行的姓名不同（张*英 / 李*华）.
 */
function conflictsSql(spec: KindSpec): string {
  const holder = spec.holder!;
  const differs = holder.map((h) => `o.${q(h.column)} IS DISTINCT FROM c.${q(h.column)}`).join(' OR ');
  const shown = (h: (typeof holder)[number], t: string) => (h.personal ? `mask_name(${t}.${q(h.column)})` : `${t}.${q(h.column)}`);
  // the first holder column that differs names the conflict
  const reason = holder
    .map((h) => `WHEN o.${q(h.column)} IS DISTINCT FROM c.${q(h.column)} THEN '${CONFLICT.prefix}与第 ' || o.__line || ' 行的${h.zh}不同（' || coalesce(${shown(h, 'c')}, '') || ' / ' || coalesce(${shown(h, 'o')}, '') || '）'`)
    .join(' ');
  return `SELECT line, ${keyName(spec)}, reason FROM (
    SELECT c.__line AS line, CASE ${reason} END AS reason
    FROM chk c
    JOIN dup d ON ${keyMatch(spec, 'd', 'c')} AND d.conflict
    JOIN chk o ON ${keyMatch(spec, 'o', 'c')} AND o.__line <> c.__line AND (${differs})
    QUALIFY row_number() OVER (PARTITION BY c.__line ORDER BY o.__line) = 1
  )`;
}

export interface ReasonCount {
  column_name: string | null;
  reason: string;
  /** Problems with this reason (a row with two bad cells counts under both). */
  count: number;
}

/** The problems of the checked file counted by column and reason, most frequent first (for summaries). */
export function countReasons(conn: DuckDBConnection): Promise<ReasonCount[]> {
  return query<ReasonCount>(
    conn,
    `SELECT column_name, CASE WHEN starts_with(reason, '${DUPLICATE.prefix}') THEN '${DUPLICATE.counted}'
       WHEN starts_with(reason, '${CONFLICT.prefix}') THEN '${CONFLICT.counted}' ELSE reason END AS reason, count(*)::INTEGER AS count
     FROM problems GROUP BY ALL ORDER BY count DESC, column_name, reason`,
  );
}

/** Drops everything reading and checking a file left on the connection. */
export async function dropChecked(conn: DuckDBConnection): Promise<void> {
  await conn.run(`DROP VIEW IF EXISTS good; DROP VIEW IF EXISTS chk; DROP TABLE IF EXISTS chk_rows; DROP TABLE IF EXISTS dup;
    DROP TABLE IF EXISTS problems;`);
  await dropReaderRejects(conn);
}
