/** Real files in real temp directories for the pipeline tests. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openWarehouse, type DuckDBConnection, type Warehouse } from '@ncms/warehouse';

export interface Sandbox {
  dir: string;
  src: string;
  wh: Warehouse;
  /** A connection of the test's own, closed by cleanup. */
  conn: DuckDBConnection;
  put(rel: string, content: string | Buffer): Promise<string>;
  cleanup(): Promise<void>;
}

export async function sandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'ncms-pipe-'));
  const src = join(dir, 'src');
  const wh = await openWarehouse(join(dir, 'ncms.duckdb'), { threads: 2, memoryLimit: '1GB' });
  const conn = await wh.connect();
  return {
    dir,
    src,
    wh,
    conn,
    async put(rel, content) {
      const p = join(src, rel);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, content);
      return p;
    },
    async cleanup() {
      conn.closeSync();
      wh.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Valid ID numbers (check characters computed by hand with the GB 11643 weights).
export const ID = {
  a: '11010519491231002X',
  b: '440524188001010014',
  c: '410523198001010011',
  d: '41052319800101002X',
  e: '410523197505050039',
  f: '410523196003030041',
  g: '410523200002020051',
} as const;

export const CENSUS = `year,division_code,township_name,village_name,households,population,agricultural_population,per_capita_net_income
2005,410523100200,城关镇,东村,100,420,400,"2,345.50"
2005,410523100201,城关镇,西村,80,300,290,2100.00
`;

export const FACILITIES = `facility_code,facility_name,level,in_county,designated
H41052300001,城关镇卫生院,乡镇卫生院,是,是
H41052310001,示例县人民医院,县级,1,1
`;
