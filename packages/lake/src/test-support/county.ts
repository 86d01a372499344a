/** A small generated county, loaded through the real pipeline and refreshed, in a temp folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '@ncms/pipelines';
import { readPolicyFolder, refreshOn, syncPolicies } from '@ncms/analytics';
import { generateCounty, POLICY_DIR } from '@ncms/sample-county';
import { openWarehouse, type DuckDBConnection, type Warehouse } from '@ncms/warehouse';

export interface TestCounty {
  dir: string;
  wh: Warehouse;
  conn: DuckDBConnection;
  cleanup(): Promise<void>;
}

export async function testCounty(scale = 0.02): Promise<TestCounty> {
  const dir = await mkdtemp(join(tmpdir(), 'ncms-lake-'));
  await generateCounty({ out: join(dir, 'sample'), scale, seed: 5 });
  const wh = await openWarehouse(join(dir, 'w.duckdb'), { threads: 2 });
  const conn = await wh.connect();
  await ingest(conn, join(dir, 'sample'));
  await syncPolicies(conn, (await readPolicyFolder(POLICY_DIR))!);
  await refreshOn(conn, {});
  return {
    dir,
    wh,
    conn,
    async cleanup() {
      conn.closeSync();
      wh.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
