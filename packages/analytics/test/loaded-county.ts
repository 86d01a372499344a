/** A small county written as real extract files and loaded through the real pipeline. */
import { afterAll, beforeAll } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openWarehouse, type Warehouse } from '@ncms/warehouse';
import { ingest } from '@ncms/pipelines';

export interface LoadedCounty {
  wh: Warehouse;
  cleanup(): Promise<void>;
}

/** files: path under the source directory (e.g. `census/c.csv`) → CSV text. */
export async function loadCounty(files: Record<string, string>): Promise<LoadedCounty> {
  const dir = await mkdtemp(join(tmpdir(), 'ncms-analytics-'));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, 'src', rel)), { recursive: true });
    await writeFile(join(dir, 'src', rel), text);
  }
  const wh = await openWarehouse(join(dir, 'w.duckdb'), { threads: 1 });
  await ingest(wh.conn, join(dir, 'src'));
  return {
    wh,
    async cleanup() {
      wh.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers a county for the whole test file: `write` puts its files, beforeAll loads them,
 * afterAll removes them. The returned object's `conn` is the loaded database's connection.
 */
export function useLoadedCounty(write: (put: (rel: string, text: string) => void) => void): { readonly conn: Warehouse['conn'] } {
  let county: LoadedCounty | undefined;
  beforeAll(async () => {
    const files: Record<string, string> = {};
    write((rel, text) => {
      files[rel] = text;
    });
    county = await loadCounty(files);
  });
  afterAll(() => county?.cleanup());
  return {
    get conn() {
      if (!county) throw new Error('the county is loaded in beforeAll');
      return county.wh.conn;
    },
  };
}
