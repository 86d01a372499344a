/**
 * A load told as a stream of plain events — a file's stage, a file done, an analytics year being
 * computed — so the same progress can be drawn by the command line in its own process or sent
 * line by line from the server to a command (or a page) that asked it to load.
 */
import type { IngestOptions, IngestSummary } from '@ncms/pipelines';
import { analyticsYears, dataVersion, type DataVersion, type RefreshResult } from '@ncms/analytics';
import type { Platform } from './platform.ts';

export type IngestEvent =
  | { kind: 'file'; index: number; total: number; name: string; phase?: 'hashing' | 'checking' | 'merging'; status?: string; rows?: number }
  | { kind: 'analytics'; year: number; index: number; total: number };

export interface IngestResult {
  summary: IngestSummary;
  refresh: RefreshResult;
  seconds: number;
}

export async function ingestWithEvents(
  platform: Platform,
  dir: string,
  opts: Pick<IngestOptions, 'retryRejected' | 'trigger'>,
  emit: (e: IngestEvent) => void,
): Promise<IngestResult> {
  const started = Date.now();
  const { summary, refresh } = await platform.ingest(
    dir,
    {
      ...opts,
      onFile: ({ index, total, file, result, phase }) =>
        emit({ kind: 'file', index, total, name: file.slice(dir.length + 1), phase, status: result?.status, rows: result?.rows.total }),
    },
    (e) => e.phase === 'computing' && emit({ kind: 'analytics', year: e.year, index: e.index, total: e.total }),
  );
  return { summary, refresh, seconds: (Date.now() - started) / 1000 };
}

export interface RefreshReport {
  refreshed: number[];
  policiesChanged: boolean;
  seconds: number;
  /** Every analytics year's data version after the refresh. */
  versions: DataVersion[];
}

/**
 * Brings the analytics tables up to date (all of them with `full`; `verify`: staleness told from
 * every core row, not only from the load generations) and says what each year now reflects.
 */
export async function refreshWithEvents(platform: Platform, opts: { full?: boolean; verify?: boolean }, emit: (e: IngestEvent) => void): Promise<RefreshReport> {
  const started = Date.now();
  const r = await platform.refresh((e) => e.phase === 'computing' && emit({ kind: 'analytics', year: e.year, index: e.index, total: e.total }), undefined, opts);
  const versions = await platform.read(async (conn) => (await Promise.all((await analyticsYears(conn)).map((y) => dataVersion(conn, y)))).filter((v) => v !== undefined));
  return { refreshed: r.refreshed, policiesChanged: r.policiesChanged, seconds: (Date.now() - started) / 1000, versions };
}
