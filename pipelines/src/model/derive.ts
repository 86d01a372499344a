import { readFile } from 'node:fs/promises';
import type { KindName } from '@ncms/extracts';
import { transaction, type DuckDBConnection } from '@ncms/warehouse';

const SQL = readFile(new URL('./derive.sql', import.meta.url), 'utf8');

/** The kinds the derived tables are built from: a run that loaded none of them leaves them as they are. */
export const DERIVED_FROM: readonly KindName[] = ['enrollment'];

/** Rebuilds the derived tables in one transaction, so readers never see half of them. */
export async function refreshDerived(conn: DuckDBConnection): Promise<void> {
  const sql = await SQL;
  await transaction(conn, () => conn.run(sql).then(() => undefined));
}
