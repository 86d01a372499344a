/** A small county written as real extract files, loaded through the real pipeline and refreshed. */
import { afterAll, beforeAll } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openWarehouse, type DuckDBConnection, type Warehouse } from '@ncms/warehouse';
import { ingest } from '@ncms/pipelines';
import type { Policy } from '@ncms/rules';
import { policyHash, syncPolicies } from '../prepare/policy-store.ts';
import { refreshOn, type RefreshOptions } from '../prepare/refresh.ts';

export interface LoadedCounty {
  dir: string;
  wh: Warehouse;
  /** A connection of the test's own. */
  conn: DuckDBConnection;
  /** Writes more extract files and loads them (the analytics tables are not refreshed). */
  load(files: Record<string, string>): Promise<void>;
  /** Stores these policies as the county's and refreshes what is stale; the years refreshed, and how. */
  refresh(policies?: readonly Policy[], opts?: RefreshOptions): Promise<number[]>;
  /** How the last refresh brought each year up to date. */
  lastModes: Record<number, string>;
  cleanup(): Promise<void>;
}

async function put(dir: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
}

/** files: path under a source directory (e.g. `census/c.csv`) → CSV text. */
export async function loadCounty(files: Record<string, string>, policies: readonly Policy[] = []): Promise<LoadedCounty> {
  const dir = await mkdtemp(join(tmpdir(), 'ncms-analytics-'));
  const wh = await openWarehouse(join(dir, 'w.duckdb'), { threads: 1 });
  const conn = await wh.connect();
  let drop = 0;
  const county: LoadedCounty = {
    dir,
    wh,
    conn,
    async load(more) {
      const src = join(dir, `src${drop++}`);
      await put(src, more);
      await ingest(conn, src);
    },
    lastModes: {},
    async refresh(ps = policies, opts = {}) {
      await syncPolicies(conn, ps.map((p) => ({ path: `${p.year}.json`, hash: policyHash(p), policy: p })));
      const r = await refreshOn(conn, opts);
      county.lastModes = r.modes;
      return r.refreshed;
    },
    async cleanup() {
      conn.closeSync();
      wh.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await county.load(files);
  await county.refresh();
  return county;
}

/**
 * Registers a county for the whole test file: `write` puts its files, beforeAll loads and
 * refreshes them under `policies`, afterAll removes them.
 */
export function useLoadedCounty(write: (put: (rel: string, text: string) => void) => void, policies: readonly Policy[] = []): { readonly conn: DuckDBConnection; readonly county: LoadedCounty } {
  let county: LoadedCounty | undefined;
  beforeAll(async () => {
    const files: Record<string, string> = {};
    write((rel, text) => {
      files[rel] = text;
    });
    county = await loadCounty(files, policies);
  });
  afterAll(() => county?.cleanup());
  const loaded = () => {
    if (!county) throw new Error('the county is loaded in beforeAll');
    return county;
  };
  return {
    get conn() {
      return loaded().conn;
    },
    get county() {
      return loaded();
    },
  };
}
