/**
 * The facts of a unit-year as one wide row, the relation the catalogue is evaluated over:
 * fct_unit_year, its disaggregations pivoted to one column per value (a level's stays, a fund
 * source's income, a large-payout threshold), the sums to date that the cumulative surplus
 * needs, and the opening balance (county rows).
 */
import { FUND_SOURCE, PAYOUT_LEVEL, toScaled } from '@ncms/rules';
import { LARGE_PAYOUT_THRESHOLDS } from '../models/code-models.ts';

interface Disaggregation {
  model: string;
  dimension: string;
  values: readonly (string | number)[];
  /** fact of the long table → the wide column per value, and what an absent value reads as. */
  facts: Record<string, { column: (value: string | number) => string; absent: '0' | 'NULL' }>;
}

/** Every disaggregated fact: which long table, which dimension, which values (from the rules' vocabulary). */
export const DISAGGREGATIONS: readonly Disaggregation[] = [
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
    facts: {
      source_received: { column: (v) => `funds_${v}`, absent: '0' },
      source_expected: { column: (v) => `expected_${v}`, absent: 'NULL' },
    },
  },
  {
    model: 'fct_unit_year_by_threshold',
    dimension: 'threshold',
    values: LARGE_PAYOUT_THRESHOLDS,
    facts: { large_payout_persons: { column: (v) => `large_ge_${v}`, absent: '0' } },
  },
];

/** Facts summed over every year up to the one computed (the cumulative surplus reads them). */
export const TO_DATE_FACTS = ['income_all', 'payouts_total'] as const;

const lit = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

function pivotSql(d: Disaggregation, relation: string): string {
  const cols = d.values.flatMap((v) =>
    Object.entries(d.facts).map(([fact, p]) => {
      const agg = `sum(${fact}) FILTER (${d.dimension} = ${lit(v)})`;
      return `${p.absent === '0' ? `coalesce(${agg}, 0)` : agg} AS "${p.column(v)}"`;
    }),
  );
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
}

export function wideFactsSql(i: WideFactsInput): string {
  const pivots = DISAGGREGATIONS.map((d, k) => ({ alias: `p${k}`, sql: pivotSql(d, i.relation(d.model)) }));
  // A unit with no row in a long table still gets every column, at its absent value.
  const absent = DISAGGREGATIONS.flatMap((d, k) =>
    d.values.flatMap((v) => Object.values(d.facts).map((p) => `coalesce(p${k}."${p.column(v)}", ${p.absent}) AS "${p.column(v)}"`)),
  );
  const earlier = i.earlier
    ? `(SELECT level, code, ${TO_DATE_FACTS.map((f) => `sum(${f}) AS ${f}`).join(', ')} FROM ${i.earlier} WHERE year < ${i.year} GROUP BY level, code)`
    : `(SELECT NULL::VARCHAR AS level, NULL::VARCHAR AS code, ${TO_DATE_FACTS.map((f) => `0 AS ${f}`).join(', ')} WHERE false)`;
  const opening = `CAST(${toScaled(i.openingBalance, 2)} AS DECIMAL(18,0)) * 0.01`;
  return `
SELECT ${i.year} AS year, f.*, ${absent.join(', ')},
  ${TO_DATE_FACTS.map((f) => `f.${f} + coalesce(e.${f}, 0) AS ${f}_to_date`).join(', ')},
  CAST(CASE WHEN f.level = 'county' THEN ${opening} ELSE 0 END AS DECIMAL(18,2)) AS opening_balance
FROM ${i.relation('fct_unit_year')} f
${pivots.map((p) => `LEFT JOIN (${p.sql}) ${p.alias} USING (level, code)`).join('\n')}
LEFT JOIN ${earlier} e USING (level, code)`;
}
