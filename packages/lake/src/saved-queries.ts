/**
 * Saved analyst queries, shared with the whole office (author and time shown). They live in the
 * warehouse (migration 013) and are written through the platform's write like any other change.
 */
import { rows, type DuckDBConnection } from '@ncms/warehouse';

export interface SavedQuery {
  id: number;
  title: string;
  sql: string;
  author: string;
  /** Beijing time, `2026-12-01 09:30`. */
  savedAt: string;
}

export class SavedQueryError extends Error {
  constructor(
    readonly field: 'title' | 'sql' | 'author' | 'id',
    message: string,
  ) {
    super(message);
  }
}

const text = (field: 'title' | 'sql' | 'author', raw: unknown, max: number, what: string): string => {
  const v = typeof raw === 'string' ? raw.trim() : '';
  if (!v) throw new SavedQueryError(field, `请填写${what}`);
  if ([...v].length > max) throw new SavedQueryError(field, `${what}不能超过 ${max.toLocaleString('en-US')} 个字`);
  return v;
};

export function readSavedQueries(conn: DuckDBConnection): Promise<SavedQuery[]> {
  return rows<SavedQuery>(
    conn,
    `SELECT id::INTEGER AS id, title, sql, author, strftime(saved_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M') AS "savedAt"
     FROM saved_query ORDER BY saved_at DESC, id DESC`,
  );
}

/** Saves a query; a title already used is replaced (the office's list stays one per title). */
export async function saveQuery(conn: DuckDBConnection, q: { title: unknown; sql: unknown; author: unknown }): Promise<number> {
  const title = text('title', q.title, 60, '查询名称');
  const sql = text('sql', q.sql, 100_000, 'SQL');
  const author = text('author', q.author, 40, '保存人姓名');
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run('DELETE FROM saved_query WHERE title = $1', [title]);
    const [r] = await rows<{ id: number }>(conn, 'INSERT INTO saved_query (title, sql, author) VALUES ($1, $2, $3) RETURNING id::INTEGER AS id', [title, sql, author]);
    await conn.run('COMMIT');
    return r!.id;
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}

export async function deleteSavedQuery(conn: DuckDBConnection, id: number): Promise<void> {
  const [r] = await rows<{ n: number }>(conn, 'DELETE FROM saved_query WHERE id = $1 RETURNING 1 AS n', [id]);
  if (!r) throw new SavedQueryError('id', `没有编号为 ${id} 的已存查询`);
}
