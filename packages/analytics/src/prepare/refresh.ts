/**
 * The analytics tables (DHIS2's analytics tables): what every reader queries, rebuilt in the
 * process that owns the database after a load or a policy change, a scheme year at a time.
 * A year is rebuilt only when its fingerprint changed (an hourly HIS drop for 2006 leaves
 * 2004 alone), in ascending order (a year's sums to date read the years before it), into temp
 * tables first and then swapped in by one transaction, so a reader sees the old year or the
 * new one, never half. derived_refresh records each year's as-of time, batches and inputs.
 */
import type { Warehouse, DuckDBConnection } from '@ncms/warehouse';
import { query, transaction } from '@ncms/warehouse';
import { computeYear, analyticsYears, YEAR_OUTPUTS, type YearOutput } from '../evaluate/year.ts';
import { householdOpeningSql } from '../evaluate/fresh.ts';
import { fingerprints, type YearFingerprint } from './fingerprint.ts';
import { policyBook, storedPolicies, type PolicyBook } from './policy-store.ts';

/** The analytics table each output of a year's computation goes to. */
export const ANALYTICS_TABLES: Record<YearOutput, string> = {
  facts: 'analytics_facts_year',
  indicators: 'analytics_year',
  periods: 'analytics_period',
  campaign: 'analytics_campaign',
  audit: 'analytics_audit',
  drug_share: 'analytics_drug_share',
  household_closing: 'analytics_household_closing',
};

export interface RefreshOptions {
  /** The fund's balance before the first year (元). Default 0. */
  openingBalance?: string;
  onProgress?: (event: { year: number; index: number; total: number; phase: 'computing' | 'swapping' | 'done' }) => void;
}

export interface RefreshPlan {
  years: number[];
  stale: YearFingerprint[];
  /** Years with analytics rows but no data any more. */
  removed: number[];
  book: PolicyBook;
}

export interface RefreshResult {
  refreshed: number[];
  removed: number[];
  seconds: number;
}

async function recorded(conn: DuckDBConnection): Promise<Map<number, string>> {
  const rows = await query<{ year: number; h: string }>(
    conn,
    `SELECT year, min(inputs_hash) AS h FROM derived_refresh WHERE table_name = '${ANALYTICS_TABLES.indicators}' GROUP BY year`,
  );
  return new Map(rows.map((r) => [r.year, r.h]));
}

/** Which years are stale, and which analytics years have no data any more. */
export async function planRefresh(conn: DuckDBConnection, opts: RefreshOptions = {}): Promise<RefreshPlan> {
  const book = policyBook((await storedPolicies(conn)).map((p) => p.policy));
  const years = await analyticsYears(conn);
  const prints = await fingerprints(conn, years, book, opts.openingBalance ?? '0');
  const done = await recorded(conn);
  return {
    years,
    book,
    stale: prints.filter((p) => done.get(p.year) !== p.hash),
    removed: [...done.keys()].filter((y) => !years.includes(y)),
  };
}

async function tableColumns(conn: DuckDBConnection, table: string): Promise<string[]> {
  const rows = await query<{ name: string; type: string }>(
    conn,
    `SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = '${table}' AND schema_name = 'main' AND database_name = current_database() ORDER BY column_index`,
  );
  return rows.map((r) => `${r.name} ${r.type}`);
}

async function tempColumns(conn: DuckDBConnection, relation: string): Promise<string[]> {
  const rows = await query<{ name: string; type: string }>(conn, `SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM ${relation})`);
  return rows.map((r) => `${r.name} ${r.type}`);
}

/** Replaces year `print.year` of every analytics table with the computed temp tables, in one transaction. */
async function swapYear(conn: DuckDBConnection, print: YearFingerprint, tables: Record<YearOutput, string>, meta: { censusYear: number | null; policyYear: number | null; policyHash: string | null }) {
  // A table whose columns changed (new models) is rebuilt from scratch: every year is stale then.
  const reshaped: string[] = [];
  for (const o of YEAR_OUTPUTS) {
    const existing = await tableColumns(conn, ANALYTICS_TABLES[o]);
    if (existing.length && existing.join() !== (await tempColumns(conn, tables[o])).join()) reshaped.push(ANALYTICS_TABLES[o]);
  }
  await transaction(conn, async () => {
    for (const t of reshaped) await conn.run(`DROP TABLE ${t}; DELETE FROM derived_refresh WHERE table_name = '${t}'`);
    for (const o of YEAR_OUTPUTS) {
      const t = ANALYTICS_TABLES[o];
      await conn.run(`CREATE TABLE IF NOT EXISTS ${t} AS SELECT * FROM ${tables[o]} WHERE false`);
      await conn.run(`DELETE FROM ${t} WHERE year = ${print.year}`);
      await conn.run(`INSERT INTO ${t} BY NAME SELECT * FROM ${tables[o]}`);
      await conn.run(`DELETE FROM derived_refresh WHERE table_name = '${t}' AND year = ${print.year}`);
      await conn.run(
        `INSERT INTO derived_refresh SELECT '${t}', ${print.year}, now(), (SELECT count(*) FROM ${tables[o]}), $1::BIGINT[], $2, $3, $4, $5`,
        [JSON.stringify(print.batches), print.hash, meta.censusYear, meta.policyYear, meta.policyHash],
      );
    }
  });
}

async function removeYears(conn: DuckDBConnection, years: readonly number[]) {
  if (!years.length) return;
  const list = years.join(', ');
  await transaction(conn, async () => {
    for (const t of Object.values(ANALYTICS_TABLES)) {
      if ((await tableColumns(conn, t)).length) await conn.run(`DELETE FROM ${t} WHERE year IN (${list})`);
    }
    await conn.run(`DELETE FROM derived_refresh WHERE year IN (${list})`);
  });
}

/** Rebuilds every stale year (the caller holds the write lock: use `refreshAnalytics`). */
export async function refreshOn(conn: DuckDBConnection, opts: RefreshOptions = {}): Promise<RefreshResult> {
  const started = performance.now();
  const plan = await planRefresh(conn, opts);
  const policyFor = (y: number) => plan.book.forYear(y)?.policy;
  for (const [index, print] of plan.stale.entries()) {
    const { year } = print;
    opts.onProgress?.({ year, index, total: plan.stale.length, phase: 'computing' });
    const used = plan.book.forYear(year);
    const closingKnown = (await tableColumns(conn, ANALYTICS_TABLES.household_closing)).length > 0;
    const r = await computeYear(conn, {
      year,
      policy: used?.policy,
      openingBalance: opts.openingBalance ?? '0',
      earlierFacts: (await tableColumns(conn, ANALYTICS_TABLES.facts)).length ? ANALYTICS_TABLES.facts : undefined,
      householdOpening: closingKnown ? householdOpeningSql(ANALYTICS_TABLES.household_closing, year, policyFor) : undefined,
    });
    try {
      opts.onProgress?.({ year, index, total: plan.stale.length, phase: 'swapping' });
      await swapYear(conn, print, r.tables, { censusYear: r.censusYear, policyYear: used?.policy.year ?? null, policyHash: used?.hash ?? null });
    } finally {
      await r.drop();
    }
    opts.onProgress?.({ year, index, total: plan.stale.length, phase: 'done' });
  }
  await removeYears(conn, plan.removed);
  return { refreshed: plan.stale.map((s) => s.year), removed: plan.removed, seconds: (performance.now() - started) / 1000 };
}

/** Brings the analytics tables up to date with the core tables and the stored policies. */
export function refreshAnalytics(wh: Warehouse, opts: RefreshOptions = {}): Promise<RefreshResult> {
  return wh.write((conn) => refreshOn(conn, opts));
}
