import { readFile } from 'node:fs/promises';
import { transaction, type DuckDBConnection } from '@ncms/warehouse';

const SQL = readFile(new URL('./derive.sql', import.meta.url), 'utf8');

/** Rebuilds the derived tables in one transaction, so readers never see half of them. */
export async function refreshDerived(conn: DuckDBConnection): Promise<void> {
  const sql = await SQL;
  await transaction(conn, () => conn.run(sql).then(() => undefined));
}
