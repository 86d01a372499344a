/**
 * Which numbers a read command prints: the analytics tables when the county's own policy and
 * opening balance apply; computed on the spot for a policy file that differs from the county's
 * (or another opening balance); recomputed from the core tables with --fresh.
 */
import { resolve } from 'node:path';
import type { DuckDBConnection } from '@ncms/warehouse';
import type { Source, SourceRequest } from '@ncms/analytics';
import type { Platform } from '@ncms/platform';
import { UsageError } from './cli-kit.ts';
import { readPolicyFile, withSource, PolicyFileError } from '@ncms/analytics';

export interface YearSource {
  notes: string[];
  /** Runs `fn` with the source's tables (and the data notes of the year). */
  with<T>(conn: DuckDBConnection, fn: (source: Source) => Promise<T>): Promise<T>;
}

export async function resolveSource(platform: Platform, year: number, opts: { policy?: string; openingBalance?: string; fresh?: boolean }): Promise<YearSource> {
  const book = await platform.policies();
  const county = book.forYear(year);
  let given;
  try {
    given = opts.policy ? await readPolicyFile(resolve(opts.policy)) : undefined;
  } catch (e) {
    if (e instanceof PolicyFileError) throw new UsageError(e.problems);
    throw e;
  }
  const openingBalance = opts.openingBalance ?? platform.config.openingBalance;
  const policy = given?.policy ?? county?.policy;
  const policyFor = (y: number) => (y === year ? policy : book.forYear(y)?.policy);
  const notes: string[] = [];
  let req: SourceRequest;
  if (opts.fresh) req = { mode: 'fresh', policyFor, openingBalance };
  else if ((given && given.hash !== county?.hash) || openingBalance !== platform.config.openingBalance) {
    req = { mode: 'policy', policy, policyFor, openingBalance };
    if (given && given.hash !== county?.hash) notes.push(`按 ${given.path} 计算，与县里的 ${year} 年政策不同 (computed under the given policy)`);
  } else req = { mode: 'prepared' };
  return {
    notes,
    with: (conn, fn) =>
      withSource(conn, year, req, async (source, dataNotes) => {
        notes.push(...dataNotes);
        return fn(source);
      }),
  };
}
