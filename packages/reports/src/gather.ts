/**
 * The figures a report is made from, read from the analytics tables through the one query API
 * (`readIndicators`): the unit's year (the county, or one township), the same for last year,
 * its sub-units (townships, or a township's villages), the period's payouts when the report is
 * for a quarter or a month, the facilities, the year's policy targets and the data version.
 */
import { dataVersion, parsePeriod, policyBook, readIndicators, storedPolicies, type DataVersion, type PeriodKind } from '@ncms/analytics';
import type { Policy } from '@ncms/rules';
import type { DuckDBConnection, Row } from '@ncms/warehouse';

export interface ReportRequest {
  year: number;
  /** `YYYY` (default), `YYYYQn` or `YYYY-MM`. */
  period?: string;
  /** A township's division code: the report covers it alone, its villages ranked. */
  township?: string;
}

export interface ReportData {
  year: number;
  period: string;
  periodKind: PeriodKind;
  /** The county's or the township's row of the year; undefined when the year has no data. */
  unit?: Row;
  prev?: Row;
  /** Townships (county report) or villages (township report), this year and last. */
  subUnits: Row[];
  prevSubUnits: Row[];
  /** The period's payout figures and last year's same period (quarters and months only). */
  periodRow?: Row;
  prevPeriodRow?: Row;
  facilities: Row[];
  policy?: Policy;
  version?: DataVersion;
  township?: string;
}

/** Last year's same period: `2006Q1` → `2005Q1`. */
export function samePeriodLastYear(period: string): string {
  return `${Number(period.slice(0, 4)) - 1}${period.slice(4)}`;
}

export async function gatherReport(conn: DuckDBConnection, req: ReportRequest): Promise<ReportData> {
  const period = req.period ?? String(req.year);
  const periodKind = parsePeriod(period, req.year);
  const unitGrain = req.township ? 'township' : 'county';
  const subGrain = req.township ? 'village' : 'township';
  const units = req.township ? [req.township] : undefined;
  const one = async (year: number, p?: string) =>
    (await readIndicators(conn, { year, grain: unitGrain, units, ...(p ? { period: p } : {}) })).rows[0];
  const subs = async (year: number) => (await readIndicators(conn, { year, grain: subGrain, within: req.township })).rows;
  const book = policyBook((await storedPolicies(conn)).map((p) => p.policy));
  const data: ReportData = {
    year: req.year,
    period,
    periodKind,
    unit: await one(req.year),
    prev: await one(req.year - 1),
    subUnits: await subs(req.year),
    prevSubUnits: await subs(req.year - 1),
    facilities: (await readIndicators(conn, { year: req.year, grain: 'facility', within: req.township })).rows,
    policy: book.forYear(req.year)?.policy,
    version: await dataVersion(conn, req.year),
    township: req.township,
  };
  if (periodKind !== 'year') {
    data.periodRow = await one(req.year, period);
    data.prevPeriodRow = await one(req.year - 1, samePeriodLastYear(period));
  }
  return data;
}
