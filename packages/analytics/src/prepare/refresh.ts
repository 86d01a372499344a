/**
 * The analytics tables (DHIS2's analytics tables): what every reader queries, rebuilt in the
 * process that owns the database after a load or a policy change, a scheme year at a time.
 * A year is rebuilt only when its fingerprint changed (an hourly HIS drop for 2006 leaves
 * 2004 alone), in ascending order (a year's sums to date read the years before it), into temp
 * tables first and then swapped in by one transaction, so a reader sees the old year or the
 * new one, never half. derived_refresh records each year's as-of time, batches and inputs.
 * Whether anything is stale is first told from the load generations (analytics_stamp: O(1),
 * what every read command asks); only when they moved are the core rows fingerprinted.
 */
import { randomBytes } from 'node:crypto';
import type { Warehouse, DuckDBConnection } from '@ncms/warehouse';
import { query, transaction } from '@ncms/warehouse';
import { computeYear, analyticsYears, YEAR_OUTPUTS, type YearOutput } from '../evaluate/year.ts';
import type { StepTimer } from '../models/run-models.ts';
import { householdOpeningSql } from '../evaluate/fresh.ts';
import { EARLIER_FACTS, isPolicyColumn } from '../evaluate/facts.ts';
import { fingerprints, inputsStamp, type YearFingerprint } from './fingerprint.ts';
import { claimsOnly, patchClaims, type Recorded } from './incremental.ts';
import { policyBook, storedPolicies, type PolicyBook } from './policy-store.ts';

/**
 * The analytics table each output of a year's computation goes to. Claims are many: each year
 * has a table of its own (`analytics_claims_<year>`, written once and renamed into place) and
 * `analytics_claims` is a view over them.
 */
export const ANALYTICS_TABLES: Record<YearOutput, string> = {
  facts: 'analytics_facts_year',
  indicators: 'analytics_year',
  periods: 'analytics_period',
  facilities: 'analytics_facility',
  campaign: 'analytics_campaign',
  audit: 'analytics_audit',
  audit_rules: 'analytics_audit_rules',
  audit_fund: 'analytics_audit_fund',
  drug_share: 'analytics_drug_share',
  household_closing: 'analytics_household_closing',
  claims: 'analytics_claims',
};

export interface RefreshOptions {
  /** The fund's balance before the first year (元). Default 0. */
  openingBalance?: string;
  /** `years`: every year this refresh computes, in order (`index` is the position of `year`). */
  onProgress?: (event: { year: number; index: number; total: number; years: readonly number[]; phase: 'computing' | 'swapping' | 'done'; mode?: RefreshMode }) => void;
  /** Told how long each step took (the benchmark's breakdown). */
  onStep?: StepTimer;
  /**
   * Fingerprint every core row even when the load generations say nothing changed (`ncms refresh
   * --verify`): finds a change made behind the loader's back.
   */
  verify?: boolean;
}

/** full: every claim of the year computed again; claims: only the claims a HIS drop touched. */
export type RefreshMode = 'full' | 'claims';

export interface RefreshPlan {
  stale: YearFingerprint[];
  /** Years with analytics rows but no data any more. */
  removed: number[];
  book: PolicyBook;
  /** The inputs' stamp now (recorded once every year is up to date). */
  stamp: string;
  /**
   * How staleness was decided: `stamp` from the load generations alone (nothing changed since
   * the last refresh; no core row read), `rows` from the fingerprint of every core row.
   */
  by: 'stamp' | 'rows';
}

export interface RefreshResult {
  refreshed: number[];
  /** How each refreshed year was brought up to date. */
  modes: Record<number, RefreshMode>;
  removed: number[];
  seconds: number;
}

interface RecordedYear extends Recorded {
  hash: string;
}

async function recordedYears(conn: DuckDBConnection): Promise<Map<number, RecordedYear>> {
  const rows = await query<{ year: number; hash: string; inputs: string; batches: string }>(
    conn,
    `SELECT year, inputs_hash AS hash, inputs::VARCHAR AS inputs, to_json(batches)::VARCHAR AS batches
     FROM derived_refresh WHERE table_name = '${ANALYTICS_TABLES.indicators}'`,
  );
  return new Map(rows.map((r) => [r.year, { hash: r.hash, ...(JSON.parse(r.inputs) as Omit<Recorded, 'batches'>), batches: JSON.parse(r.batches) as number[] }]));
}

/** The stamp the last refresh that left every year up to date recorded (none after a reset). */
async function verifiedStamp(conn: DuckDBConnection): Promise<string | undefined> {
  const [r] = await query<{ stamp: string }>(conn, 'SELECT stamp FROM analytics_stamp LIMIT 1');
  return r?.stamp;
}

async function recordStamp(conn: DuckDBConnection, stamp: string): Promise<void> {
  await transaction(conn, async () => {
    await conn.run('DELETE FROM analytics_stamp');
    await conn.run('INSERT INTO analytics_stamp VALUES ($1, now())', [stamp]);
  });
}

/** Which years are stale, and which analytics years have no data any more. */
export async function planRefresh(conn: DuckDBConnection, opts: RefreshOptions = {}): Promise<RefreshPlan> {
  const book = policyBook((await storedPolicies(conn)).map((p) => p.policy));
  const stamp = await inputsStamp(conn, book, opts.openingBalance ?? '0');
  if (!opts.verify && stamp === (await verifiedStamp(conn))) return { book, stamp, by: 'stamp', stale: [], removed: [] };
  const years = await analyticsYears(conn);
  const prints = await fingerprints(conn, years, book, opts.openingBalance ?? '0');
  const done = await recordedYears(conn);
  return {
    book,
    stamp,
    by: 'rows',
    stale: prints.filter((p) => done.get(p.year)?.hash !== p.hash),
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

/**
 * Whether the facts table has these columns. A table written by older models may not: every year
 * is stale then (the models changed) and is rebuilt in order, without reading it.
 */
async function factsHold(conn: DuckDBConnection, facts: readonly string[]): Promise<boolean> {
  const names = new Set((await tableColumns(conn, ANALYTICS_TABLES.facts)).map((c) => c.split(' ')[0]));
  return facts.every((f) => names.has(f));
}

/** The year's continuity facts as the facts table holds them, when it holds them. */
async function storedContinuity(conn: DuckDBConnection, year: number): Promise<string | undefined> {
  const facts = ['last_year_enrollees', 'renewed_enrollees', 'new_enrollees'];
  if (!(await factsHold(conn, facts))) return undefined;
  return `(SELECT level, code, ${facts.join(', ')} FROM ${ANALYTICS_TABLES.facts} WHERE year = ${year})`;
}

async function tempColumns(conn: DuckDBConnection, relation: string): Promise<string[]> {
  const rows = await query<{ name: string; type: string }>(conn, `SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM ${relation})`);
  return rows.map((r) => `${r.name} ${r.type}`);
}

/**
 * Replaces year `print.year` of every analytics table with the computed relations, in one
 * transaction. The year's claims: a freshly written table renamed into place, or (an incremental
 * refresh) the recomputed persons' rows replaced in it.
 */
async function swapYear(
  conn: DuckDBConnection,
  print: YearFingerprint,
  tables: Record<YearOutput, string>,
  meta: {
    censusYear: number | null;
    policyYear: number | null;
    policyHash: string | null;
    claims: { staged: string } | { changed: string; persons: string };
    /** Only these households' balances were computed again (an incremental refresh under household accounts). */
    closingOf?: string;
  },
) {
  const outputs = YEAR_OUTPUTS.filter((o) => o !== 'claims');
  // A table whose columns changed (new models) is rebuilt from scratch: every year is stale then.
  // Columns only some years' policies name (a large-payout threshold) are added as they come.
  const reshaped: string[] = [];
  const added: string[] = [];
  const fixed = (cols: string[]) => cols.filter((c) => !isPolicyColumn(c.split(' ')[0]!)).join();
  for (const o of outputs) {
    const existing = await tableColumns(conn, ANALYTICS_TABLES[o]);
    const computed = await tempColumns(conn, tables[o]);
    if (existing.length && fixed(existing) !== fixed(computed)) reshaped.push(ANALYTICS_TABLES[o]);
    else if (existing.length)
      for (const c of computed.filter((x) => !existing.includes(x))) added.push(`ALTER TABLE ${ANALYTICS_TABLES[o]} ADD COLUMN IF NOT EXISTS ${c.replace(/^(\S+)/, '"$1"')}`);
  }
  const claims = claimsTable(print.year);
  await transaction(conn, async () => {
    for (const t of reshaped) await conn.run(`DROP TABLE ${t}; DELETE FROM derived_refresh WHERE table_name = '${t}'`);
    for (const sql of added) await conn.run(sql);
    for (const o of outputs) {
      const t = ANALYTICS_TABLES[o];
      await conn.run(`CREATE TABLE IF NOT EXISTS ${t} AS SELECT * FROM ${tables[o]} WHERE false`);
      const only = o === 'household_closing' && meta.closingOf ? ` AND household_id IN (SELECT household_id FROM ${meta.closingOf})` : '';
      await conn.run(`DELETE FROM ${t} WHERE year = ${print.year}${only}`);
      await conn.run(`INSERT INTO ${t} BY NAME SELECT * FROM ${tables[o]}`);
    }
    if ('staged' in meta.claims) {
      await conn.run(`DROP TABLE IF EXISTS ${claims}; ALTER TABLE ${meta.claims.staged} RENAME TO ${claims}`);
      await recreateClaimsView(conn);
    } else {
      await conn.run(`DELETE FROM ${claims} WHERE person_id IN (SELECT person_id FROM ${meta.claims.persons})`);
      await conn.run(`INSERT INTO ${claims} BY NAME SELECT * FROM ${meta.claims.changed}`);
    }
    const inputs = JSON.stringify({ context: print.context, parts: print.parts });
    for (const o of YEAR_OUTPUTS) {
      const t = ANALYTICS_TABLES[o];
      await conn.run(`DELETE FROM derived_refresh WHERE table_name = '${t}' AND year = ${print.year}`);
      await conn.run(
        `INSERT INTO derived_refresh SELECT '${t}', ${print.year}, now(), (SELECT count(*) FROM ${o === 'claims' ? claims : `${t} WHERE year = ${print.year}`}), $1::BIGINT[], $2, $3::JSON, $4, $5, $6`,
        [JSON.stringify(print.batches), print.hash, inputs, meta.censusYear, meta.policyYear, meta.policyHash],
      );
    }
  });
}

const claimsTable = (year: number) => `analytics_claims_${year}`;

/** The years' claim tables (`staged`: written by a refresh that has not renamed them yet). */
async function claimTables(conn: DuckDBConnection): Promise<{ name: string; year: number; staged: boolean }[]> {
  const rows = await query<{ t: string }>(
    conn,
    `SELECT table_name AS t FROM duckdb_tables() WHERE database_name = current_database() AND regexp_full_match(table_name, 'analytics_claims_[0-9]{4}(__.*)?') ORDER BY t`,
  );
  return rows.map((r) => ({ name: r.t, year: Number(r.t.slice(17, 21)), staged: r.t.includes('__') }));
}

/** The view over the years' claim tables (dropped when there is none). */
async function recreateClaimsView(conn: DuckDBConnection): Promise<void> {
  const years = (await claimTables(conn)).filter((t) => !t.staged).map((t) => t.year);
  await conn.run(`DROP VIEW IF EXISTS ${ANALYTICS_TABLES.claims}`);
  if (years.length)
    await conn.run(`CREATE VIEW ${ANALYTICS_TABLES.claims} AS ${years.map((y) => `SELECT ${y} AS year, * FROM ${claimsTable(y)}`).join(' UNION ALL BY NAME ')}`);
}

async function removeYears(conn: DuckDBConnection, years: readonly number[]) {
  if (!years.length) return;
  const list = years.join(', ');
  await transaction(conn, async () => {
    for (const [o, t] of Object.entries(ANALYTICS_TABLES)) {
      if (o !== 'claims' && (await tableColumns(conn, t)).length) await conn.run(`DELETE FROM ${t} WHERE year IN (${list})`);
    }
    for (const y of years) await conn.run(`DROP TABLE IF EXISTS ${claimsTable(y)}`);
    await recreateClaimsView(conn);
    await conn.run(`DELETE FROM derived_refresh WHERE year IN (${list})`);
  });
}

/** Drops every analytics table and its records: the next refresh rebuilds every year from scratch. */
export async function resetAnalytics(conn: DuckDBConnection): Promise<void> {
  const tables = await claimTables(conn);
  await transaction(conn, async () => {
    await conn.run(`DROP VIEW IF EXISTS ${ANALYTICS_TABLES.claims}`);
    for (const t of tables) await conn.run(`DROP TABLE "${t.name}"`);
    for (const [o, t] of Object.entries(ANALYTICS_TABLES)) if (o !== 'claims') await conn.run(`DROP TABLE IF EXISTS ${t}`);
    await conn.run('DELETE FROM derived_refresh');
    await conn.run('DELETE FROM analytics_stamp');
  });
}

/**
 * A warehouse with no data yet still gets its analytics tables, empty: a read of any year then
 * answers "no rows" (the header only) rather than fail on a table that does not exist.
 */
async function ensureTables(conn: DuckDBConnection): Promise<void> {
  const missing: YearOutput[] = [];
  for (const o of YEAR_OUTPUTS) if (o !== 'claims' && !(await tableColumns(conn, ANALYTICS_TABLES[o])).length) missing.push(o);
  if (!missing.length) return;
  const r = await computeYear(conn, { year: new Date().getFullYear(), policy: undefined, openingBalance: '0' });
  try {
    await transaction(conn, async () => {
      for (const o of missing) await conn.run(`CREATE TABLE ${ANALYTICS_TABLES[o]} AS SELECT * FROM ${r.tables[o]} WHERE false`);
    });
  } finally {
    await r.drop();
  }
}

/** Rebuilds every stale year (the caller holds the write lock: use `refreshAnalytics`). */
export async function refreshOn(conn: DuckDBConnection, opts: RefreshOptions = {}): Promise<RefreshResult> {
  const started = performance.now();
  // A refresh that died (a killed process) may have left a year's claims written but not renamed.
  for (const t of await claimTables(conn)) if (t.staged) await conn.run(`DROP TABLE "${t.name}"`);
  const plan = await planRefresh(conn, opts);
  if (plan.by === 'stamp') return { refreshed: [], modes: {}, removed: [], seconds: (performance.now() - started) / 1000 };
  const done = await recordedYears(conn);
  const policyFor = (y: number) => plan.book.forYear(y)?.policy;
  const modes: Record<number, RefreshMode> = {};
  const years = plan.stale.map((p) => p.year);
  for (const [index, print] of plan.stale.entries()) {
    const { year } = print;
    const used = plan.book.forYear(year);
    const exists = async (o: YearOutput) => (await tableColumns(conn, ANALYTICS_TABLES[o])).length > 0;
    const householdOpening = (await exists('household_closing')) ? householdOpeningSql(ANALYTICS_TABLES.household_closing, year, policyFor) : undefined;
    const recorded = done.get(year);
    const mode: RefreshMode = recorded && claimsOnly(recorded, print) && (await tableColumns(conn, claimsTable(year))).length ? 'claims' : 'full';
    modes[year] = mode;
    opts.onProgress?.({ year, index, total: plan.stale.length, years, phase: 'computing', mode });
    const patch =
      mode === 'claims'
        ? await patchClaims(conn, { year, policy: used?.policy, householdOpening, lastBatch: Math.max(0, ...recorded!.batches), claimsTable: claimsTable(year), onStep: opts.onStep })
        : undefined;
    const staged = `${claimsTable(year)}__${randomBytes(4).toString('hex')}`;
    try {
      const r = await computeYear(conn, {
        year,
        policy: used?.policy,
        openingBalance: opts.openingBalance ?? '0',
        earlierFacts: (await factsHold(conn, EARLIER_FACTS)) ? ANALYTICS_TABLES.facts : undefined,
        householdOpening,
        // Only settlements or ledger entries changed: the rolls did not, nor who renewed.
        claims: patch && { all: patch.all, changed: patch.changed, closing: patch.households?.closing, continuity: await storedContinuity(conn, year) },
        persistClaimsAs: patch ? undefined : staged,
        onStep: opts.onStep,
      });
      try {
        opts.onProgress?.({ year, index, total: plan.stale.length, years, phase: 'swapping', mode });
        const t0 = performance.now();
        await swapYear(conn, print, r.tables, {
          censusYear: r.censusYear,
          policyYear: used?.policy.year ?? null,
          policyHash: used?.hash ?? null,
          claims: patch ? { changed: patch.changed, persons: patch.persons } : { staged },
          closingOf: patch?.households?.ids,
        });
        opts.onStep?.('swap', performance.now() - t0);
      } finally {
        await r.drop();
      }
    } finally {
      await patch?.drop();
    }
    opts.onProgress?.({ year, index, total: plan.stale.length, years, phase: 'done', mode });
  }
  await removeYears(conn, plan.removed);
  await ensureTables(conn);
  // Computed before the plan, under the write lock: no load can have moved the generations since.
  await recordStamp(conn, plan.stamp);
  return { refreshed: years, modes, removed: plan.removed, seconds: (performance.now() - started) / 1000 };
}

/** Brings the analytics tables up to date with the core tables and the stored policies. */
export function refreshAnalytics(wh: Warehouse, opts: RefreshOptions = {}): Promise<RefreshResult> {
  return wh.write((conn) => refreshOn(conn, opts));
}
