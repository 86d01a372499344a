/**
 * Everything the analytics tables hold for one scheme year, computed from the core tables into
 * temp tables of the caller's connection: the models, the wide facts, the catalogue evaluated
 * over them (year, months, quarters), the campaign, the audit list and the household balances.
 * The refresh copies these into the analytics tables; `--fresh` reads them directly.
 */
import { randomBytes } from 'node:crypto';
import { largePayoutThresholds, type Policy } from '@ncms/rules';
import { query, type DuckDBConnection } from '@ncms/warehouse';
import { policyModels, yearVars } from '../models/code-models.ts';
import { runModels, type StepTimer } from '../models/run-models.ts';
import { campaignSql, equityValuesSql, facilityIndicatorsSql, periodIndicatorsSql, withEquitySql, yearIndicatorsSql } from './catalogue.ts';
import { wideFactsSql } from './facts.ts';

/** What a year's computation leaves behind, a relation each (temp tables), every row carrying `year`. */
export const YEAR_OUTPUTS = ['facts', 'indicators', 'periods', 'facilities', 'campaign', 'audit', 'audit_rules', 'audit_fund', 'drug_share', 'household_closing', 'claims'] as const;
export type YearOutput = (typeof YEAR_OUTPUTS)[number];

export interface YearInput {
  year: number;
  /** The year's policy (undefined: none; policy-bound figures are empty). */
  policy: Policy | undefined;
  /** The fund's balance before the first year (元), counted in the county's cumulative surplus. */
  openingBalance: string;
  /** SQL of the household accounts' balances carried in from last year (household_id, closing_fen). */
  householdOpening?: string;
  /** A relation of earlier years' wide facts, for the sums to date. */
  earlierFacts?: string;
  /**
   * The year's claims with their expected payouts are already known (an incremental refresh):
   * `all` holds every claim of the year, `changed` the ones recomputed, which alone go to the
   * `claims` output; `closing` and `continuity` are the households' balances and the continuity
   * facts when they could not have changed.
   */
  claims?: { all: string; changed: string; closing?: string; continuity?: string };
  /** Write every claim of the year to this table of the database (it outlives the computation: the refresh renames it). */
  persistClaimsAs?: string;
  onStep?: StepTimer;
}

export interface YearResult {
  year: number;
  censusYear: number | null;
  tables: Record<YearOutput, string>;
  drop(): Promise<void>;
}

/** The census used for a year: its own, or the latest earlier one (spec: indicators). */
export async function censusYearFor(conn: DuckDBConnection, year: number): Promise<number | null> {
  const [r] = await query<{ y: number | null }>(conn, `SELECT max(year) AS y FROM census WHERE year <= ${year}`);
  return r?.y ?? null;
}

/** Years with indicators: those with their own enrolment roll or census. */
export async function analyticsYears(conn: DuckDBConnection): Promise<number[]> {
  const rows = await query<{ y: number }>(conn, 'SELECT year AS y FROM enrollment UNION SELECT year FROM census ORDER BY y');
  return rows.map((r) => r.y);
}

export async function computeYear(conn: DuckDBConnection, input: YearInput): Promise<YearResult> {
  const { year, policy } = input;
  const censusYear = await censusYearFor(conn, year);
  const run = await runModels(conn, {
    want: ['fct_unit_year', 'fct_unit_year_continuity', 'fct_facility_period', 'fct_unit_month', 'fct_unit_year_by_level', 'fct_unit_year_by_source', 'fct_unit_year_by_threshold', 'fct_campaign_day', 'fct_claim_audit', 'fct_audit_rules', 'fct_audit_fund', 'fct_facility_month_drug', 'int_household_closing'],
    vars: yearVars(year, censusYear, policy),
    code: policyModels(policy, input.householdOpening),
    provided: input.claims
      ? {
          int_claims_expected: input.claims.all,
          ...(input.claims.closing ? { int_household_closing: input.claims.closing } : {}),
          ...(input.claims.continuity ? { fct_unit_year_continuity: input.claims.continuity } : {}),
        }
      : undefined,
    persist: input.persistClaimsAs ? { int_claims_expected: input.persistClaimsAs } : undefined,
    onStep: input.onStep,
  });
  const token = randomBytes(4).toString('hex');
  const tables = Object.fromEntries(YEAR_OUTPUTS.map((o) => [o, `"year_${o}__${token}"`])) as Record<YearOutput, string>;
  const made: string[] = [];
  const create = async (name: string, sql: string) => {
    const t0 = performance.now();
    await conn.run(`CREATE TEMP TABLE ${name} AS ${sql}`);
    input.onStep?.(`output ${name.replace(/__.*$/, '').replace(/^"/, '')}`, performance.now() - t0);
    made.push(name);
  };
  const drop = async () => {
    for (const t of made.splice(0)) await conn.run(`DROP TABLE IF EXISTS ${t}`);
    await run.drop();
  };
  try {
    const r = run.relation;
    await create(tables.facts, `SELECT *, ${censusYear ?? 'NULL'}::INTEGER AS census_year FROM (${wideFactsSql({ year, relation: r, earlier: input.earlierFacts, openingBalance: input.openingBalance, thresholds: largePayoutThresholds(policy) })})`);
    const raw = `"year_raw_indicators__${token}"`;
    await create(raw, yearIndicatorsSql(tables.facts, policy));
    await create(tables.indicators, withEquitySql(raw, await equityValuesSql(conn, tables.facts)));
    await create(tables.periods, periodIndicatorsSql(year, r('fct_unit_month'), r('int_units'), policy));
    await create(tables.facilities, facilityIndicatorsSql(year, r('fct_facility_period'), policy));
    await create(tables.campaign, campaignSql(year, r('fct_campaign_day'), r('int_units'), policy));
    await create(tables.audit, `SELECT ${year} AS year, * FROM ${r('fct_claim_audit')}`);
    await create(tables.audit_rules, `SELECT ${year} AS year, * FROM ${r('fct_audit_rules')}`);
    await create(tables.audit_fund, `SELECT ${year} AS year, * FROM ${r('fct_audit_fund')}`);
    await create(tables.drug_share, `SELECT ${year} AS year, * FROM ${r('fct_facility_month_drug')}`);
    await create(tables.household_closing, `SELECT ${year} AS year, * FROM ${r('int_household_closing')}`);
    // The claim-level rows are many: read where they are rather than copied once more.
    tables.claims = `(SELECT ${year} AS year, * FROM ${input.claims?.changed ?? r('int_claims_expected')})`;
  } catch (e) {
    await drop().catch(() => undefined);
    throw e;
  }
  return { year, censusYear, tables, drop };
}
