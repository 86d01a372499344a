/**
 * The models written in TypeScript, because they come from the year's policy rather than from
 * the data: the funding standards and reward tiers as small tables, the expected payout of
 * every claim (the policy compiled by @ncms/rules), and the household accounts' closing
 * balances. Also the variables every SQL model may read.
 */
import { CATEGORY, DIAGNOSIS_BOUNDS, FUND_SOURCE, LEDGER_PAYOUT_CATEGORIES, RULE_LEVEL, auditParams, compensationSql, countyNameOf, fen, largePayoutThresholds, singleDiseasePrefixes, toScaled, type Policy } from '@ncms/rules';
import { sqlString } from '@ncms/warehouse';
import type { CodeModel, VarValue } from './run-models.ts';

/** Reporting days of the campaign: Mondays and Thursdays (DuckDB's dayofweek: Sunday = 0). */
export const REPORTING_DAYS = [1, 4] as const;

export const isFamilyAccount = (p: Policy | undefined): boolean => p?.outpatient?.mode === 'family_account';

/** The variables of a year's run. */
export function yearVars(year: number, censusYear: number | null, policy: Policy | undefined): Record<string, VarValue> {
  const cap = policy?.inpatient.annual_cap;
  const drug = policy?.targets?.max_drug_share;
  const family = isFamilyAccount(policy);
  return {
    year,
    census_year: censusYear,
    county_name: countyNameOf(policy?.scheme),
    has_policy: policy !== undefined,
    annual_cap: cap == null ? null : { sql: String(cap) },
    max_drug_share: drug === undefined ? null : { sql: String(drug) },
    fund_sources: FUND_SOURCE.codes,
    // household outpatient accounts (家庭账户): their payouts and their share of the funding are not the pool's
    family_account: family,
    family_account_per_capita_fen: family ? { sql: String(fen(policy!.funding.family_account_per_capita ?? 0)) } : 0,
    large_payout_thresholds: [...largePayoutThresholds(policy)],
    reporting_days: [...REPORTING_DAYS],
    // the audit rules' parameters (the policy's audit block over the catalogue's defaults)
    audit_split_days: auditParams(policy).split_days,
    audit_minor_max_days: auditParams(policy).minor_max_days,
    audit_outpatient_diagnoses: [...auditParams(policy).outpatient_diagnoses],
    payout_categories: [...LEDGER_PAYOUT_CATEGORIES],
  };
}

const empty = (columns: string) => `SELECT ${columns} WHERE false`;

/**
 * The policy's models for one year. `opening` is the SQL of the household accounts' opening
 * balances carried from last year (household_id, closing_fen), or undefined for none.
 */
export function policyModels(policy: Policy | undefined, opening?: string): CodeModel[] {
  const standards: CodeModel = {
    name: 'policy_standards',
    refs: [],
    materialized: 'table',
    sql: () => {
      if (!policy) return empty('NULL::VARCHAR AS category, NULL::VARCHAR AS source, NULL::BIGINT AS amount_fen');
      // A category without its own standard pays the general one; a source it omits pays 0.
      const rows = CATEGORY.codes.flatMap((c) => {
        const std = policy.funding.standards[c] ?? policy.funding.standards.general!;
        return FUND_SOURCE.codes.map((s) => `(${sqlString(c)}, ${sqlString(s)}, ${fen(std[s] ?? 0)})`);
      });
      return `SELECT * FROM (VALUES ${rows.join(', ')}) AS s(category, source, amount_fen)`;
    },
  };
  const tiers: CodeModel = {
    name: 'policy_reward_tiers',
    refs: [],
    materialized: 'table',
    sql: () => {
      const t = policy?.village_rewards ?? [];
      if (!t.length) return empty('NULL::BIGINT AS min_rate_bp, NULL::BIGINT AS per_enrollee_fen');
      return `SELECT * FROM (VALUES ${t.map((x) => `(${toScaled(x.min_rate, 4)}, ${fen(x.per_enrollee)})`).join(', ')}) AS t(min_rate_bp, per_enrollee_fen)`;
    },
  };
  const openingModel: CodeModel = {
    name: 'household_opening',
    refs: [],
    materialized: 'view',
    sql: () => opening ?? empty('NULL::VARCHAR AS household_id, NULL::BIGINT AS closing_fen'),
  };
  // Every claim of the year beside its expected payout: the one claim-level table the facts,
  // the audit and the household balances read (the compensation carries each claim through).
  const expected: CodeModel = {
    name: 'int_claims_expected',
    refs: ['int_claims_attributed', 'int_enrollees', 'household_opening'],
    materialized: 'table',
    sql: (ref) => {
      if (!policy)
        return `SELECT *, NULL::BIGINT AS raw_fen, NULL::BIGINT AS expected_fen, NULL::DECIMAL(18,2) AS expected_payout FROM ${ref('int_claims_attributed')}`;
      // Household size and last year's balance matter to household accounts only: other policies skip the joins.
      const family = isFamilyAccount(policy);
      // The join back to the claims is on the attributed table's rowid, carried through the
      // compensation: an integer key, where claim_id would cost a string hash per claim.
      const input = `(
        SELECT a.*, a.rowid AS claim_seq,
               ${family ? 'h.household_members' : 'NULL::INTEGER AS household_members'},
               ${family ? 'CAST(k.closing_fen AS DECIMAL(18,0)) * 0.01' : 'NULL::DECIMAL(18,2)'} AS opening_carry
        FROM ${ref('int_claims_attributed')} a
        ${family ? `LEFT JOIN (SELECT household_id, count(*) AS household_members FROM ${ref('int_enrollees')} GROUP BY household_id) h USING (household_id)
        LEFT JOIN ${ref('household_opening')} k USING (household_id)` : ''})`;
      return `SELECT a.*, x.raw_fen, x.expected_fen, x.expected_payout
        FROM ${ref('int_claims_attributed')} a JOIN (${compensationSql(policy, input, { carry: ['claim_seq'] })}) x ON x.claim_seq = a.rowid`;
    },
  };
  const closing: CodeModel = {
    name: 'int_household_closing',
    refs: ['int_enrollees', 'int_claims_expected', 'household_opening'],
    materialized: 'table',
    // Opening (per-capita share × enrolled members + last year's closing) less this year's
    // expected family-account payouts; a household that did not enrol this year keeps its balance.
    sql: (ref) => {
      if (!isFamilyAccount(policy)) return empty('NULL::VARCHAR AS household_id, NULL::BIGINT AS closing_fen');
      const perCapita = fen(policy!.funding.family_account_per_capita ?? 0);
      return `
        SELECT household_id, coalesce(h.members, 0) * ${perCapita} + coalesce(k.closing_fen, 0) - coalesce(p.paid, 0) AS closing_fen
        FROM (SELECT household_id, count(*) AS members FROM ${ref('int_enrollees')} GROUP BY household_id) h
        FULL JOIN ${ref('household_opening')} k USING (household_id)
        LEFT JOIN (
          SELECT household_id, sum(expected_fen) AS paid
          FROM ${ref('int_claims_expected')}
          WHERE visit_type = 'outpatient' GROUP BY household_id
        ) p USING (household_id)`;
    },
  };
  return [standards, tiers, openingModel, expected, closing, ...auditModels(policy)];
}

/**
 * What the audit rules read from the policy and the rules' catalogue, as small tables: the
 * single-disease entries by level and diagnosis prefix, the levels' annual caps, and the
 * diagnoses a sex or an age contradicts.
 */
function auditModels(policy: Policy | undefined): CodeModel[] {
  // columns as `name TYPE`: the rows are cast to them, and an empty table keeps them
  const table = (name: string, columns: string, values: string[]): CodeModel => {
    const cols = columns.split(', ').map((c) => c.split(' ') as [string, string]);
    const select = cols.map(([n, t]) => `CAST(${n} AS ${t}) AS ${n}`).join(', ');
    const rows = values.length ? values : [`(${cols.map(() => 'NULL').join(', ')})`];
    return {
      name,
      refs: [],
      materialized: 'table',
      sql: () => `SELECT ${select} FROM (VALUES ${rows.join(', ')}) AS t(${cols.map(([n]) => n).join(', ')})${values.length ? '' : ' WHERE false'}`,
    };
  };
  const s = sqlString;
  const amount = (x: number) => `CAST(${fen(x)} AS DECIMAL(18,0)) * 0.01`;
  return [
    table(
      'policy_single_disease',
      'entry INTEGER, code VARCHAR, name VARCHAR, level VARCHAR, prefix VARCHAR, fund_pays DECIMAL(18,2)',
      singleDiseasePrefixes(policy).map((e) => `(${e.entry}, ${s(e.code)}, ${s(e.name)}, ${s(e.level)}, ${s(e.prefix)}, ${amount(e.fund_pays)})`),
    ),
    table(
      'policy_level_caps',
      'level VARCHAR, annual_cap DECIMAL(18,2)',
      RULE_LEVEL.codes.flatMap((l) => {
        const cap = policy?.inpatient.levels[l]?.annual_cap;
        return cap == null ? [] : [`(${s(l)}, ${amount(cap)})`];
      }),
    ),
    table(
      'audit_diagnosis_bounds',
      'code VARCHAR, from_code VARCHAR, to_code VARCHAR, sex VARCHAR, min_age INTEGER, max_age INTEGER',
      DIAGNOSIS_BOUNDS.map((b) => `(${s(b.code)}, ${s(b.from)}, ${s(b.to)}, ${b.sex ? s(b.sex) : 'NULL'}, ${b.minAge ?? 'NULL'}, ${b.maxAge ?? 'NULL'})`),
    ),
  ];
}
