import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch, type DuckDBConnection } from '@ncms/warehouse';
import { deleteSavedQuery, readSavedQueries, saveQuery } from './saved-queries.ts';

let db: Awaited<ReturnType<typeof openScratch>>;
let conn: DuckDBConnection;
beforeAll(async () => {
  db = await openScratch();
  conn = db.conn;
});
afterAll(() => db?.close());

const wang = { username: 'wang', admin: false };
const li = { username: 'li', admin: false };
const admin = { username: 'office', admin: true };

describe('saved queries', () => {
  it("are the saving account's: another may neither replace nor remove one, an administrator may", async () => {
    const first = await saveQuery(conn, { title: '季度补偿', sql: 'SELECT 1' }, wang);
    expect(first.replaced).toBe(false);
    expect((await readSavedQueries(conn)).map((q) => [q.title, q.author])).toEqual([['季度补偿', 'wang']]);
    await expect(saveQuery(conn, { title: '季度补偿', sql: 'SELECT 2' }, li)).rejects.toMatchObject({ reason: 'not_yours', field: 'title' });
    await expect(deleteSavedQuery(conn, first.id, li)).rejects.toMatchObject({ reason: 'not_yours' });
    // Nothing changed by the refusals.
    expect((await readSavedQueries(conn)).map((q) => [q.id, q.sql, q.author])).toEqual([[first.id, 'SELECT 1', 'wang']]);
    // The author replaces their own; an administrator replaces and removes anyone's.
    const second = await saveQuery(conn, { title: '季度补偿', sql: 'SELECT 3' }, wang);
    expect(second.replaced).toBe(true);
    const third = await saveQuery(conn, { title: '季度补偿', sql: 'SELECT 4' }, admin);
    expect((await readSavedQueries(conn)).map((q) => q.author)).toEqual(['office']);
    expect(await deleteSavedQuery(conn, third.id, admin)).toEqual({ title: '季度补偿', author: 'office' });
    await expect(deleteSavedQuery(conn, third.id, admin)).rejects.toMatchObject({ reason: 'not_found' });
    expect(await readSavedQueries(conn)).toEqual([]);
  });
});
