/**
 * The figures a report is made from, read from the analytics tables through the one query API
 * (`readIndicators`): the unit's year (the county, or one township), the same for last year,
 * its sub-units (townships, or a township's villages), the period's payouts when the report is
 * for a quarter or a month, the facilities, the year's policy targets and the data version.
 */
import { dataVersion, parsePeriod, policyBook, readIndicators, readMonthly, storedPolicies, type DataVersion, type PeriodKind } from '@ncms/analytics';
import type { Policy } from '@ncms/rules';
import { rows, type DuckDBConnection, type Row } from '@ncms/warehouse';

export interface ReportRequest {
  year: number;
  /** `YYYY` (default), `YYYYQn` or `YYYY-MM`. */
  period?: string;
  /** A township's division code: the report covers it alone, its villages ranked. */
  township?: string;
}

/** How a report is dated (spec: the county's time zone; `--date` gives the date). */
export interface ReportDating {
  /** IANA time zone of the county (configuration `timezone`); default Asia/Shanghai. */
  timezone?: string;
  /** `YYYY-MM-DD`: the report's date as given (`--date`); default today in `timezone`. */
  date?: string;
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
  /** Quarters and months: the facilities' rows of each month of the period, and of the same months last year. */
  periodFacilities?: Row[];
  prevPeriodFacilities?: Row[];
  /** A township report: the county's row of the year (the pool is the county's). */
  county?: Row;
  /** 数据截至: the last discharge or ledger date of the period (`YYYY-MM-DD`). */
  dataThrough?: string | null;
  /** Files refused at load (any year: they may have held this year's rows). */
  rejected: { file: string; kind: string; reason: string | null }[];
  /** Quarantined rows by file kind and field. */
  quarantined: { kind: string; column: string | null; rows: number }[];
  /** Villages of the unit absent from the census, with their enrolees. */
  outsideCensus: { code: string; name: string | null; enrollees: number }[];
  policy?: Policy;
  version?: DataVersion;
  township?: string;
}

/** Last year's same period: `2006Q1` → `2005Q1`. */
export function samePeriodLastYear(period: string): string {
  return `${Number(period.slice(0, 4)) - 1}${period.slice(4)}`;
}

/** The period's first and last day: `2006Q2` → 2006-04-01 … 2006-06-30. */
export function periodDays(period: string): [string, string] {
  const y = period.slice(0, 4);
  const q = /Q([1-4])$/.exec(period);
  const m = /-(\d{2})$/.exec(period);
  const [from, to] = q ? [Number(q[1]) * 3 - 2, Number(q[1]) * 3] : m ? [Number(m[1]), Number(m[1])] : [1, 12];
  const last = new Date(Date.UTC(Number(y), to, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return [`${y}-${pad(from)}-01`, `${y}-${pad(to)}-${pad(last)}`];
}

/** The last discharge (of the scheme year) or ledger date inside the period. */
const DATA_THROUGH_SQL = `
  SELECT max(d)::VARCHAR AS d FROM (
    SELECT max(discharge_date) AS d FROM claims WHERE scheme_year = $1 AND discharge_date BETWEEN $2::DATE AND $3::DATE
    UNION ALL
    SELECT max(date) FROM ledger WHERE year = $1 AND date BETWEEN $2::DATE AND $3::DATE)`;
const REJECTED_SQL = `SELECT regexp_extract(file_path, '[^/\\\\]+$') AS file, kind, reason FROM batches WHERE status = 'rejected' ORDER BY batch_id`;
const QUARANTINED_SQL = `
  SELECT b.kind, q.column_name AS "column", count(*)::INTEGER AS rows
  FROM quarantine q JOIN batches b USING (batch_id) GROUP BY ALL ORDER BY b.kind, rows DESC, "column"`;

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
    rejected: [],
    quarantined: [],
    outsideCensus: [],
  };
  if (req.township) data.county = (await readIndicators(conn, { year: req.year, grain: 'county' })).rows[0];
  const [from, to] = periodDays(period);
  data.dataThrough = (await rows<{ d: string | null }>(conn, DATA_THROUGH_SQL, [req.year, from, to]))[0]?.d ?? null;
  data.rejected = await rows(conn, REJECTED_SQL);
  data.quarantined = await rows(conn, QUARANTINED_SQL);
  data.outsideCensus = (await readIndicators(conn, { year: req.year, grain: 'village', within: req.township, ids: ['in_census', 'enrollees'] })).rows
    .filter((r) => r.in_census === false)
    .map((r) => ({ code: String(r.division_code), name: r.name == null ? null : String(r.name), enrollees: Number(r.enrollees ?? 0) }));
  if (periodKind !== 'year') {
    data.periodRow = await one(req.year, period);
    data.prevPeriodRow = await one(req.year - 1, samePeriodLastYear(period));
    // facilities per month (the query API has no facility quarter): the period's months, summed where a table adds them up
    const months = async (p: string) => {
      const [from, to] = periodDays(p).map((d) => d.slice(0, 7));
      return (await readMonthly(conn, { year: Number(p.slice(0, 4)), grain: 'facility', within: req.township })).rows.filter((r) => String(r.month) >= from! && String(r.month) <= to!);
    };
    data.periodFacilities = await months(period);
    data.prevPeriodFacilities = await months(samePeriodLastYear(period));
  }
  return data;
}
