/**
 * The facts of a unit-year as one wide row, the relation the catalogue is evaluated over:
 * fct_unit_year, its disaggregations pivoted to one column per value (a level's stays, a fund
 * source's income, a large-payout threshold), the sums to date that the cumulative surplus
 * needs, the opening balance (county rows), the household accounts' balance carried from last
 * year, and the county's pool beside every unit (the allocation reads it).
 */
import { FUND_SOURCE, LARGE_PAYOUT_THRESHOLDS, PAYOUT_LEVEL, toScaled } from '@ncms/rules';

interface Disaggregation {
  model: string;
  dimension: string;
  values: readonly (string | number)[];
  /** fact of the long table → the wide column per value, and what an absent value reads as. */
  facts: Record<string, { column: (value: string | number) => string; absent: '0' | 'NULL' }>;
  /** Also a column summed over every value, named as the value `total` would be. */
  total?: boolean;
}

/**
 * Every disaggregated fact: which long table, which dimension, which values (from the rules'
 * vocabulary, and the year's large-payout thresholds).
 */
export const disaggregations = (thresholds: readonly number[] = LARGE_PAYOUT_THRESHOLDS): readonly Disaggregation[] => [
  {
    model: 'fct_unit_year_by_level',
    dimension: 'payout_level',
    values: PAYOUT_LEVEL.codes,
    facts: {
      level_payout: { column: (v) => `level_${v}_payout`, absent: '0' },
      level_stays: { column: (v) => `level_${v}_stays`, absent: '0' },
    },
  },
  {
    model: 'fct_unit_year_by_source',
    dimension: 'source',
    values: FUND_SOURCE.codes,
    total: true,
    facts: {
      source_received: { column: (v) => `funds_${v}`, absent: '0' },
      source_expected: { column: (v) => `expected_${v}`, absent: 'NULL' },
    },
  },
  {
    model: 'fct_unit_year_by_threshold',
    dimension: 'threshold',
    values: thresholds,
    facts: { large_payout_persons: { column: (v) => `large_ge_${v}`, absent: '0' } },
  },
];

/** The disaggregations under the default thresholds (what the analytics version hashes). */
export const DISAGGREGATIONS = disaggregations();

/**
 * Columns that exist only for the years whose policy names them (a large-payout threshold):
 * the analytics tables gain them as such a year is written, other years leave them empty.
 */
export const isPolicyColumn = (name: string): boolean => /^(large_ge|large_payouts_ge)_\d+$/.test(name);

/** Facts summed over every year up to the one computed (the cumulative surplus reads them). */
export const TO_DATE_FACTS = ['income_all', 'family_account_funds', 'family_account_returned', 'pooled_payouts'] as const;

/** Last year's facts that this year's growth figures compare with (`prev_<fact>`). */
export const PREVIOUS_YEAR_FACTS = ['enrollees', 'inpatient_stays', 'inpatient_cost', 'pooled_eligible_cost'] as const;

/** The facts this step adds beside the models' (besides the pivots and the sums to date), as a model header would declare them. */
const OWN_FACTS: Record<string, string> = {
  opening_balance: 'the fund\'s balance before the first year (county rows; 0 below)',
  family_account_balance: '家庭账户结余: last year\'s balance carried + this year\'s share − its payouts, while household accounts go on',
  family_account_returned: 'last year\'s household-account balance handed to the pool the year accounts stop (0 otherwise)',
  county_enrollees: 'the county\'s enrollees, beside every unit of it',
  county_pooled_funds: 'the county\'s pooled funds, beside every unit of it (the allocation reads it)',
  ...Object.fromEntries(PREVIOUS_YEAR_FACTS.map((x) => [`prev_${x}`, `last year's ${x} of the unit (empty without last year's row)`])),
};

/** Every column this step adds to the models' facts: the pivots (under `thresholds`), the sums to date and its own. */
export function evaluationFacts(thresholds?: readonly number[]): Set<string> {
  const out = new Set<string>([...Object.keys(OWN_FACTS), ...TO_DATE_FACTS.map((f) => `${f}_to_date`)]);
  for (const d of disaggregations(thresholds)) for (const c of pivotColumns(d)) out.add(c.column);
  return out;
}

/** What a year reads from the years before it: the sums to date, last year's household-account balance and growth bases. */
export const EARLIER_FACTS: readonly string[] = [...TO_DATE_FACTS, 'family_account_balance', ...PREVIOUS_YEAR_FACTS];

const lit = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

/** The wide columns of a disaggregation: one per value (and the total), each with its SQL over the long table. */
function pivotColumns(d: Disaggregation): { column: string; absent: '0' | 'NULL'; agg: string }[] {
  const cols = d.values.flatMap((v) =>
    Object.entries(d.facts).map(([fact, p]) => ({ column: p.column(v), absent: p.absent, agg: `sum(${fact}) FILTER (${d.dimension} = ${lit(v)})` })),
  );
  const total = d.total ? Object.entries(d.facts).map(([fact, p]) => ({ column: p.column('total'), absent: p.absent, agg: `sum(${fact})` })) : [];
  return [...cols, ...total];
}

function pivotSql(d: Disaggregation, relation: string): string {
  const cols = pivotColumns(d).map((c) => `${c.absent === '0' ? `coalesce(${c.agg}, 0)` : c.agg} AS "${c.column}"`);
  return `SELECT level, code, ${cols.join(', ')} FROM ${relation} GROUP BY level, code`;
}

export interface WideFactsInput {
  year: number;
  /** The relation of each fact model of this year's run. */
  relation: (model: string) => string;
  /** Earlier years' wide facts (year, level, code, TO_DATE_FACTS…), or undefined when there are none. */
  earlier?: string;
  /** The fund's balance before the first year (元, exact text), counted at county grain. */
  openingBalance: string;
  /** The year's large-payout thresholds (元). */
  thresholds: readonly number[];
}

export function wideFactsSql(i: WideFactsInput): string {
  const disaggregated = disaggregations(i.thresholds);
  const pivots = disaggregated.map((d, k) => ({ alias: `p${k}`, sql: pivotSql(d, i.relation(d.model)) }));
  // Every year's row has the same types, whether or not years came before it (the analytics
  // tables hold them all). A unit with no row in a long table still gets every column, at its
  // absent value.
  const absent = disaggregated.flatMap((d, k) => pivotColumns(d).map((c) => `coalesce(p${k}."${c.column}", ${c.absent}) AS "${c.column}"`));
  const earlier = i.earlier
    ? `(SELECT level, code, ${TO_DATE_FACTS.map((f) => `sum(${f}) AS ${f}`).join(', ')} FROM ${i.earlier} WHERE year < ${i.year} GROUP BY level, code)`
    : `(SELECT NULL::VARCHAR AS level, NULL::VARCHAR AS code, ${TO_DATE_FACTS.map((f) => `0 AS ${f}`).join(', ')} WHERE false)`;
  // Last year's household-account balance (empty unless last year used household accounts) and
  // the facts growth compares with, each as `prev_<fact>`.
  const previous = i.earlier
    ? `(SELECT level, code, family_account_balance, ${PREVIOUS_YEAR_FACTS.map((x) => `${x} AS prev_${x}`).join(', ')} FROM ${i.earlier} WHERE year = ${i.year - 1})`
    : `(SELECT NULL::VARCHAR AS level, NULL::VARCHAR AS code, NULL::DECIMAL(18,2) AS family_account_balance, ${PREVIOUS_YEAR_FACTS.map((x) => `NULL::DECIMAL(18,2) AS prev_${x}`).join(', ')} WHERE false)`;
  const opening = `CAST(${toScaled(i.openingBalance, 2)} AS DECIMAL(18,0)) * 0.01`;
  return `
WITH own AS (
  SELECT f.*, ${absent.join(', ')},
    -- the accounts' balance: last year's carried while household accounts go on, else handed back to the pool
    CAST(CASE WHEN f.family_account_mode THEN coalesce(b.family_account_balance, 0) + f.family_account_funds - f.family_account_payouts END AS DECIMAL(18,2)) AS family_account_balance,
    CAST(CASE WHEN f.family_account_mode THEN 0 ELSE coalesce(b.family_account_balance, 0) END AS DECIMAL(18,2)) AS family_account_returned,
    ${PREVIOUS_YEAR_FACTS.map((x) => `CAST(b.prev_${x} AS DECIMAL(18,2)) AS prev_${x}`).join(', ')},
    ct.* EXCLUDE (level, code)
  FROM ${i.relation('fct_unit_year')} f
  ${pivots.map((p) => `LEFT JOIN (${p.sql}) ${p.alias} USING (level, code)`).join('\n  ')}
  LEFT JOIN ${previous} b USING (level, code)
  LEFT JOIN ${i.relation('fct_unit_year_continuity')} ct USING (level, code)
),

county AS (
  SELECT code AS county_code, enrollees AS county_enrollees, funds_raised - family_account_funds + family_account_returned AS county_pooled_funds
  FROM own WHERE level = 'county'
)

SELECT ${i.year} AS year, f.*,
  ${TO_DATE_FACTS.map((x) => `CAST(f.${x} + coalesce(e.${x}, 0) AS DECIMAL(18,2)) AS ${x}_to_date`).join(', ')},
  CAST(CASE WHEN f.level = 'county' THEN ${opening} ELSE 0 END AS DECIMAL(18,2)) AS opening_balance,
  c.county_enrollees,
  c.county_pooled_funds
FROM own f
LEFT JOIN ${earlier} e USING (level, code)
LEFT JOIN county c ON left(f.code, 6) = c.county_code`;
}
