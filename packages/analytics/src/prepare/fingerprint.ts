/**
 * What a year's numbers are computed from, as a fingerprint: the content of every core row of
 * that year and the years before it (a sum to date reads them; household accounts carry
 * balances forward), the facility registry, whether a later discharge has closed the year, the
 * policies in force, the models themselves and the opening balance. Two equal fingerprints mean
 * the year's analytics tables need not be rebuilt. Content is taken from each row's row_hash
 * (XOR per kind and year: order-free and cheap), so a file loaded again unchanged changes nothing.
 */
import { createHash } from 'node:crypto';
import { INDICATORS, LARGE_PAYOUT_THRESHOLDS, WARNINGS } from '@ncms/rules';
import { coreGenerations, query, type DuckDBConnection } from '@ncms/warehouse';
import { loadModels } from '../models/model-files.ts';
import { REPORTING_DAYS } from '../models/code-models.ts';
import { DISAGGREGATIONS } from '../evaluate/facts.ts';
import type { PolicyBook } from './policy-store.ts';

/**
 * Raise when the TypeScript side of the analytics (code models, evaluation) changes what the
 * tables hold: every year is then rebuilt. Model SQL and the catalogue are hashed by themselves.
 */
export const ANALYTICS_CODE_VERSION = 2;

let modelsVersion: Promise<string> | undefined;

/** One hash of everything that defines the analytics tables. */
export function analyticsVersion(): Promise<string> {
  modelsVersion ??= loadModels().then((models) =>
    createHash('sha256')
      .update(JSON.stringify({
        code: ANALYTICS_CODE_VERSION,
        models: models.map((m) => [m.name, m.sql]),
        catalogue: INDICATORS,
        warnings: WARNINGS,
        disaggregations: DISAGGREGATIONS.map((d) => [d.model, d.dimension, d.values, Object.keys(d.facts)]),
        thresholds: LARGE_PAYOUT_THRESHOLDS,
        days: REPORTING_DAYS,
      }))
      .digest('hex'),
  );
  return modelsVersion;
}

interface KindYear {
  kind: string;
  y: number | null;
  n: number;
  h: string;
  batches: number[];
}

/** One input of a year: a kind's rows of one year (or the facility registry), by count and content. */
export interface InputPart {
  kind: string;
  y: number | null;
  n: number;
  h: string;
}

export interface YearFingerprint {
  year: number;
  hash: string;
  /** The hash of what is not data: the models, the policies and the options. */
  context: string;
  /** What the hash is made of besides the version, policies and options: for telling what changed. */
  parts: InputPart[];
  /** The loaded batches whose rows the year's numbers reflect. */
  batches: number[];
}

const KINDS = [
  ['census', 'census', 'year'],
  ['enrollment', 'enrollment', 'year'],
  ['claims', 'claims', 'scheme_year'],
  ['ledger', 'ledger', 'year'],
] as const;

export async function fingerprints(conn: DuckDBConnection, years: readonly number[], book: PolicyBook, openingBalance: string): Promise<YearFingerprint[]> {
  const parts = await query<KindYear>(
    conn,
    [
      ...KINDS.map(([kind, table, year]) => `SELECT '${kind}' AS kind, ${year} AS y, count(*) AS n, bit_xor(row_hash)::VARCHAR AS h, coalesce(list(DISTINCT batch_id ORDER BY batch_id), []) AS batches FROM ${table} GROUP BY ${year}`),
      `SELECT 'facilities', NULL, count(*), bit_xor(row_hash)::VARCHAR, coalesce(list(DISTINCT batch_id ORDER BY batch_id), []) FROM facilities`,
    ].join(' UNION ALL '),
  );
  const [{ last } = { last: null }] = await query<{ last: string | null }>(conn, 'SELECT max(discharge_date)::VARCHAR AS last FROM claims');
  const version = await analyticsVersion();
  return years.map((year) => {
    const used = parts.filter((p) => p.y === null || p.y <= year).sort((a, b) => `${a.kind}${a.y}`.localeCompare(`${b.kind}${b.y}`));
    const policies = book.policies.filter((p) => p.year <= year).map((p) => book.forYear(p.year)!.hash);
    const context = createHash('sha256').update(JSON.stringify({ version, policies, openingBalance })).digest('hex');
    const hash = createHash('sha256')
      .update(JSON.stringify({
        context,
        inputs: used.map((p) => [p.kind, p.y, p.n, p.h]),
        // a discharge in December of the year or later closes it (m = 12)
        closed: last !== null && last >= `${year}-12-01`,
      }))
      .digest('hex');
    const batches = [...new Set(used.flatMap((p) => p.batches.map(Number)))].sort((a, b) => a - b);
    return { year, hash, context, parts: used.map(({ kind, y, n, h }) => ({ kind, y, n: Number(n), h })), batches };
  });
}

/**
 * Everything a refresh reads, told without reading a core row: each core table's and year's
 * generation (set by every load that changes rows, in its transaction), the schema version, the
 * policies, the models and the opening balance. A few small rows whatever the county's size, so
 * a read command can tell "nothing changed since the last refresh" at no cost. It only ever errs
 * towards a check of the rows: a change of any generation (a later year's claims too: they may
 * close an earlier year) asks for the row-level fingerprints above.
 */
export async function inputsStamp(conn: DuckDBConnection, book: PolicyBook, openingBalance: string): Promise<string> {
  const generations = await coreGenerations(conn);
  const [{ schema } = { schema: null }] = await query<{ schema: number | null }>(conn, 'SELECT max(version) AS schema FROM schema_migrations');
  return createHash('sha256')
    .update(JSON.stringify({
      version: await analyticsVersion(),
      schema,
      policies: book.policies.map((p) => [p.year, book.forYear(p.year)!.hash]),
      openingBalance,
      generations: generations.map((g) => [g.kind, g.year, Number(g.generation)]),
    }))
    .digest('hex');
}
