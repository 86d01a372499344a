/**
 * The reads behind `ncms indicators`, `ncms audit` and `ncms simulate`, and behind the server's
 * API for the same questions: one function each, so a command answers the same whether it runs
 * in its own process or asks the running server.
 */
import {
  auditSummary, campaignQuery, readInsurerMonthly, yearIndicatorsQuery, monthlyQuery, readAudit, readIndicators, readLorenz, readTable, readTableArrow, simulate,
  type AuditQuery, type AuditRow, type AuditSummary, type IndicatorTable, type PolicyFile, type Simulation, type Source, type TableQuery,
} from '@ncms/analytics';
import type { Table } from 'apache-arrow';
import type { DuckDBConnection, Row } from '@ncms/warehouse';
import type { Grain } from '@ncms/rules';
import type { Platform } from '../platform.ts';
import { yearSource, type SourceOptions } from './source.ts';

export const SERIES = ['monthly', 'campaign', 'lorenz', 'insurer'] as const;
export type SeriesKind = (typeof SERIES)[number];

export interface IndicatorRequest extends SourceOptions {
  year: number;
  by: Grain;
  /** Only units inside this division code. */
  township?: string;
  ids?: readonly string[];
  /** `YYYY`, `YYYYQn` or `YYYY-MM`. */
  period?: string;
  /** A series instead of the indicators. */
  series?: SeriesKind;
}

const LORENZ_COLUMNS = ['year', 'level', 'division_code', 'name', 'point', 'village_code', 'enrollee_share', 'payout_share'];

/** The query of a request (every kind but the Lorenz curve, which is computed from its points). */
async function tableQuery(conn: DuckDBConnection, req: IndicatorRequest, src: Source): Promise<TableQuery> {
  const q = { year: req.year, grain: req.by, within: req.township, ids: req.ids };
  if (req.series === 'monthly') return monthlyQuery(q, src);
  if (req.series === 'campaign') return campaignQuery(q, src);
  return yearIndicatorsQuery(conn, { ...q, period: req.period }, src);
}

/** Indicators (or a series) with their columns and the notes the reader should see. */
export async function indicatorTable(platform: Platform, req: IndicatorRequest): Promise<IndicatorTable> {
  const source = await yearSource(platform, req.year, req);
  const table = await platform.read((conn) =>
    source.with(conn, async (src): Promise<IndicatorTable> => {
      if (req.series === 'insurer') return readInsurerMonthly(conn, req.year, source.policy, src);
      if (req.series !== 'lorenz') return readTable(conn, await tableQuery(conn, req, src));
      const units = await readIndicators(conn, { year: req.year, grain: req.by, within: req.township, ids: ['enrollees'] }, src);
      const rows: Row[] = [];
      for (const u of units.rows)
        for (const [i, p] of (await readLorenz(conn, { year: req.year, code: String(u.division_code) }, src)).entries())
          rows.push({ year: u.year!, level: u.level!, division_code: u.division_code!, name: u.name ?? null, point: i, village_code: p.code, enrollee_share: p.x, payout_share: p.y });
      return { columns: LORENZ_COLUMNS, rows, notes: [] };
    }),
  );
  return { ...table, notes: [...source.notes, ...table.notes] };
}

/** The same rows as an Arrow table (large results: every village, every month). Not for the Lorenz curve or the insurer's months. */
export async function indicatorArrow(platform: Platform, req: IndicatorRequest): Promise<{ table: Table; notes: string[] }> {
  const source = await yearSource(platform, req.year, req);
  const table = await platform.read((conn) => source.with(conn, async (src) => readTableArrow(conn, await tableQuery(conn, req, src))));
  return { table, notes: source.notes };
}

export interface AuditRequest extends AuditQuery, SourceOptions {
  /** The year's totals beside the page (default true; the API's paged listing does without). */
  withSummary?: boolean;
}

export interface AuditListing {
  total: number;
  rows: AuditRow[];
  summary: AuditSummary | null;
  notes: string[];
}

/** A page of the audit with the year's totals (the drug-share limit from the policy in use). */
export async function auditListing(platform: Platform, req: AuditRequest): Promise<AuditListing> {
  const source = await yearSource(platform, req.year, req);
  const { total, rows, summary } = await platform.read((conn) =>
    source.with(conn, async (src) => ({
      ...(await readAudit(conn, req, src)),
      summary: req.withSummary === false ? null : await auditSummary(conn, req.year, source.policy?.targets?.max_drug_share, src),
    })),
  );
  return { total, rows, summary, notes: source.notes };
}

/** The what-if of a policy on a year's claims (earlier years under the county's policies); growth derived from the loaded years when not given. */
export async function simulation(platform: Platform, req: { year: number; policy: PolicyFile; growth?: string }): Promise<Simulation> {
  const book = await platform.policies();
  return platform.read((conn) => simulate(conn, req.year, req.policy.policy, req.growth, (y) => book.forYear(y)?.policy));
}
