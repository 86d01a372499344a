/**
 * Which numbers a read returns: the analytics tables when the county's own policy and opening
 * balance apply; computed on the spot for a policy that differs from the county's (or another
 * opening balance); recomputed from the core tables when asked for fresh numbers. The command
 * line and the server's API both resolve a read here, so they answer alike.
 */
import { withSource, type PolicyFile, type Source, type SourceRequest } from '@ncms/analytics';
import type { DuckDBConnection } from '@ncms/warehouse';
import type { Policy } from '@ncms/rules';
import type { Platform } from '../platform.ts';

export interface SourceOptions {
  /** A policy for the year other than the county's (validated by the caller). */
  policy?: PolicyFile;
  /** The fund's balance before the first year, when it differs from the configuration's. */
  openingBalance?: string;
  /** Recompute from the core tables instead of reading the analytics tables. */
  fresh?: boolean;
}

export interface YearSource {
  /** What the reader should be told about the numbers (the policy, the census year…). */
  notes: string[];
  /** The policy the numbers are computed under (the given one, else the county's for the year). */
  policy: Policy | undefined;
  /** Runs `fn` with the source's tables; the year's data notes are added to `notes`. */
  with<T>(conn: DuckDBConnection, fn: (source: Source) => Promise<T>): Promise<T>;
}

export async function yearSource(platform: Platform, year: number, opts: SourceOptions = {}): Promise<YearSource> {
  const book = await platform.policies();
  const county = book.forYear(year);
  const given = opts.policy;
  const openingBalance = opts.openingBalance ?? platform.config.openingBalance;
  const policy = given?.policy ?? county?.policy;
  const policyFor = (y: number) => (y === year ? policy : book.forYear(y)?.policy);
  const notes: string[] = [];
  let req: SourceRequest;
  if (opts.fresh) req = { mode: 'fresh', policyFor, openingBalance };
  else if ((given && given.hash !== county?.hash) || openingBalance !== platform.config.openingBalance) {
    req = { mode: 'policy', policy, policyFor, openingBalance };
    if (given && given.hash !== county?.hash) notes.push(`按 ${given.path} 计算，与县里的 ${year} 年政策不同 (computed under the given policy)`);
  } else req = { mode: 'prepared', building: platform.refreshing()?.pending.includes(year) };
  return {
    notes,
    policy,
    with: (conn, fn) =>
      withSource(conn, year, req, async (source, dataNotes) => {
        notes.push(...dataNotes);
        return fn(source);
      }),
  };
}
