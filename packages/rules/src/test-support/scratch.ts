/** A scratch DuckDB for a test file: opened before its tests, closed after them. */
import { afterAll, beforeAll } from 'vitest';
import { openScratch, type DuckDBConnection } from '@ncms/warehouse';

export function useScratch(threads?: number): { readonly conn: DuckDBConnection } {
  let db: Awaited<ReturnType<typeof openScratch>> | undefined;
  beforeAll(async () => {
    db = await openScratch(threads);
  });
  afterAll(() => db?.close());
  return {
    get conn() {
      if (!db) throw new Error('the scratch database is opened in beforeAll');
      return db.conn;
    },
  };
}
