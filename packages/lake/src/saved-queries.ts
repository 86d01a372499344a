/**
 * Saved analyst queries, shared with the whole office (author and time shown). They live in the
 * warehouse (migration 013) and are written through the platform's write like any other change.
 * The author is the signed-in account (never a name typed in a form); only the author or an
 * administrator replaces or removes a query.
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
    /** Why: a bad field, no such query, or another account's query. */
    readonly reason: 'invalid' | 'not_found' | 'not_yours' = 'invalid',
  ) {
    super(message);
  }
}

/** Who asks to save or remove: the signed-in account, and whether it administers. */
export interface QueryOwner {
  username: string;
  admin: boolean;
}

const notYours = (field: 'title' | 'id', q: { title: string; author: string }) =>
  new SavedQueryError(field, `查询「${q.title}」由 ${q.author} 保存：只有作者本人或管理员可以替换或删除`, 'not_yours');

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

/**
 * Saves a query as `by`'s; a title already used is replaced (the office's list stays one per
 * title) — when it is `by`'s own, or `by` administers. Returns the new id and whether it replaced one.
 */
export async function saveQuery(conn: DuckDBConnection, q: { title: unknown; sql: unknown }, by: QueryOwner): Promise<{ id: number; replaced: boolean }> {
  const title = text('title', q.title, 60, '查询名称');
  const sql = text('sql', q.sql, 100_000, 'SQL');
  const author = text('author', by.username, 40, '保存人账号');
  await conn.run('BEGIN TRANSACTION');
  try {
    const [old] = await rows<{ title: string; author: string }>(conn, 'SELECT title, author FROM saved_query WHERE title = $1 LIMIT 1', [title]);
    if (old && old.author !== author && !by.admin) throw notYours('title', old);
    await conn.run('DELETE FROM saved_query WHERE title = $1', [title]);
    const [r] = await rows<{ id: number }>(conn, 'INSERT INTO saved_query (title, sql, author) VALUES ($1, $2, $3) RETURNING id::INTEGER AS id', [title, sql, author]);
    await conn.run('COMMIT');
    return { id: r!.id, replaced: old !== undefined };
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}

/** Removes `by`'s own query (any, for an administrator); returns what was removed. */
export async function deleteSavedQuery(conn: DuckDBConnection, id: number, by: QueryOwner): Promise<{ title: string; author: string }> {
  const [q] = await rows<{ title: string; author: string }>(conn, 'SELECT title, author FROM saved_query WHERE id = $1', [id]);
  if (!q) throw new SavedQueryError('id', `没有编号为 ${id} 的已存查询`, 'not_found');
  if (q.author !== by.username && !by.admin) throw notYours('id', q);
  await conn.run('DELETE FROM saved_query WHERE id = $1', [id]);
  return q;
}
