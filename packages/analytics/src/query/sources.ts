/**
 * Where a reader's numbers come from. Normally the analytics tables; `fresh` recomputes the
 * year (and the years before it) from the core tables alone; `policy` computes the year under a
 * policy other than the county's (earlier years and household balances from the analytics
 * tables). The last two leave temp tables of the analytics tables' shape, dropped afterwards.
 */
import type { Policy } from '@ncms/rules';
import type { DuckDBConnection } from '@ncms/warehouse';
import { computeFresh, householdOpeningSql, type PolicyFor } from '../evaluate/fresh.ts';
import { computeYear, type YearResult } from '../evaluate/year.ts';
import { ANALYTICS_TABLES } from '../prepare/refresh.ts';
import { PREPARED, type Source } from './indicators.ts';
import { dataVersion, versionNotes } from './version.ts';
import { NotPreparedError } from './errors.ts';

export type SourceRequest =
  /** `building`: a refresh under way is to build this year, so a year without rows is "being prepared". */
  | { mode: 'prepared'; building?: boolean }
  | { mode: 'fresh'; policyFor: PolicyFor; openingBalance: string }
  | { mode: 'policy'; policy: Policy | undefined; policyFor: PolicyFor; openingBalance: string };

export async function withSource<T>(
  conn: DuckDBConnection,
  year: number,
  req: SourceRequest,
  fn: (source: Source, notes: string[]) => Promise<T>,
): Promise<T> {
  if (req.mode === 'prepared') {
    const v = await dataVersion(conn, year);
    if (!v && req.building) throw new NotPreparedError(year);
    return fn(PREPARED, v ? versionNotes(v) : []);
  }
  let r: YearResult;
  if (req.mode === 'fresh') r = await computeFresh(conn, year, req.policyFor, req.openingBalance);
  else {
    const policyFor: PolicyFor = (y) => (y === year ? req.policy : req.policyFor(y));
    r = await computeYear(conn, {
      year,
      policy: req.policy,
      openingBalance: req.openingBalance,
      earlierFacts: ANALYTICS_TABLES.facts,
      householdOpening: householdOpeningSql(ANALYTICS_TABLES.household_closing, year, policyFor),
    });
  }
  try {
    const policyYear = (req.mode === 'policy' ? req.policy : req.policyFor(year))?.year ?? null;
    return await fn(r.tables, versionNotes({ year, censusYear: r.censusYear, policyYear }));
  } finally {
    await r.drop();
  }
}
