/**
 * The catalogue turned into SQL over a relation of facts (one row per unit and period): each
 * indicator's value, or its numerator ÷ denominator taken after the sums, typed as the
 * catalogue's unit says (money DECIMAL(18,2), rates DOUBLE), and the warnings from their
 * conditions. Pure string building: the analytics package runs it.
 */
import { fen, toScaled } from './decimal.ts';
import { INDICATORS, WARNINGS, indicatorById, unitOf, type Indicator, type IndicatorColumn, type WarningCondition } from './indicators.ts';
import type { Policy } from './policy.ts';
import { insurerPresettledSql, insurerShareSql, type Insurer } from './insurer.ts';

/** SQL literals of the parameters the catalogue names as `$name`; 'NULL' where the policy has none. */
export type CatalogueParams = Record<string, string>;

export function policyParams(policy: Policy | undefined): CatalogueParams {
  const t = policy?.targets ?? {};
  const dec = (x: number | undefined) => (x === undefined ? 'NULL' : String(x));
  return {
    ...insurerParams(policy?.insurer),
    target_bp: t.participation_rate === undefined ? 'NULL' : String(toScaled(t.participation_rate, 4)),
    max_surplus_rate: dec(t.max_surplus_rate),
    max_cumulative_surplus_share: dec(t.max_cumulative_surplus_share),
    max_cumulative_surplus_months: dec(t.max_cumulative_surplus_months),
    deficit_warning: t.deficit_warning === undefined ? 'NULL' : `${fen(t.deficit_warning)} * 0.01`,
  };
}

/**
 * The insurer settlement as expressions over the county's facts: the premium (per-capita target ×
 * enrollees), the year's result against the pool, the banded share, and what the monthly
 * pre-settlement has paid by December (the seeds' schedule, within the limit). NULL without an insurer.
 */
function insurerParams(insurer: Insurer | undefined): CatalogueParams {
  if (!insurer) return { insurer_premium: 'NULL', insurer_share: 'NULL', insurer_presettled: 'NULL' };
  const premium = `(CAST(${insurer.per_capita_target} AS DECIMAL(18,2)) * {enrollees})`;
  const result = `(${premium} - {pooled_payouts})`;
  return {
    insurer_premium: premium,
    insurer_share: insurerShareSql(insurer, result, premium),
    insurer_presettled: insurerPresettledSql(insurer, premium, '{pooled_payouts}', '{pooled_payouts_first_month}'),
  };
}

const FACT = /\{([a-z0-9_]+)\}/g;

/** An expression with its facts read from `alias` and its parameters inlined. */
export function expressionSql(expr: string, alias: string, params: CatalogueParams, key?: string): string {
  const withKey = key === undefined ? expr : expr.replaceAll('<key>', key);
  // Parameters first: a parameter may itself be an expression over facts (the insurer's share).
  return withKey
    .replace(/\$([a-z_]+)/g, (_, name: string) => {
      const v = params[name];
      if (v === undefined) throw new Error(`catalogue parameter $${name} is not defined`);
      return v;
    })
    .replace(FACT, (_, fact: string) => `${alias}."${fact}"`);
}

const asDouble = (x: string) => `CAST(${x} AS DOUBLE)`;

/** The untyped value of one indicator column over facts `alias`. */
function rawSql(i: Indicator, alias: string, params: CatalogueParams, key?: string): string {
  const e = (x: string) => `(${expressionSql(x, alias, params, key)})`;
  if (i.value !== undefined) return e(i.value);
  if (i.numerator !== undefined && i.denominator !== undefined) {
    if (i.unit === 'yuan') return `div_fen(${e(i.numerator)}, ${e(i.denominator)})`;
    const ratio = `${asDouble(e(i.numerator))} / nullif(${asDouble(e(i.denominator))}, 0)`;
    return i.factor === undefined ? ratio : `(${ratio}) * ${i.factor}`;
  }
  throw new Error(`indicator ${i.id} has neither a value nor a ratio`);
}

/** The SQL type an indicator column is stored as. */
export function sqlTypeOfColumn(c: Pick<IndicatorColumn, 'indicator' | 'key'>): string {
  switch (unitOf(c.indicator, c.key)) {
    case 'yuan':
      return 'DECIMAL(18,2)';
    case 'rate':
    case 'ratio':
    case 'days':
    case 'months':
      return 'DOUBLE';
    case 'codes':
      return 'VARCHAR[]';
    case 'flag':
      return 'BOOLEAN';
    default:
      return 'BIGINT';
  }
}

/**
 * One indicator column as `<sql> AS "<column>"` over facts `alias` (which has the unit's
 * `level`). Equity figures are computed outside SQL and start empty; policy-bound indicators
 * are empty without a policy; county-only ones are empty below the county.
 */
export function columnSql(c: IndicatorColumn, alias: string, params: CatalogueParams, hasPolicy: boolean): string {
  const type = sqlTypeOfColumn(c);
  const { indicator: i, key } = c;
  let sql: string;
  if (i.computedBy === 'equity' || (i.needsPolicy && !hasPolicy)) sql = 'NULL';
  else if (i.id === 'warnings') sql = warningsSql(alias, params);
  else sql = rawSql(i, alias, params, key);
  if (i.countyOnly && sql !== 'NULL') sql = `CASE WHEN ${alias}.level = 'county' THEN ${sql} END`;
  return `CAST(${sql} AS ${type}) AS "${c.column}"`;
}

function thresholdSql(c: WarningCondition, params: CatalogueParams): string {
  if (typeof c.than === 'number') return String(c.than);
  const v = params[c.than.target] ?? 'NULL';
  return c.than.negate ? `-(${v})` : v;
}

/** One condition, exact: a ratio compares its numerator with threshold × denominator (denominator > 0). */
function conditionSql(c: WarningCondition, alias: string, params: CatalogueParams): string {
  const i = indicatorById(c.indicator);
  if (!i) throw new Error(`warning condition names unknown indicator ${c.indicator}`);
  const t = thresholdSql(c, params);
  const e = (x: string) => `(${expressionSql(x, alias, params)})`;
  if (i.numerator !== undefined && i.denominator !== undefined && i.unit !== 'yuan')
    return `(${e(i.denominator)} > 0 AND ${e(i.numerator)} ${c.op} (${t}) * ${e(i.denominator)})`;
  return `(${rawSql(i, alias, params)} ${c.op} (${t}))`;
}

/** The warning codes that hold, as a list (NULL when none does). A whole-year limit waits for m = 12. */
export function warningsSql(alias: string, params: CatalogueParams): string {
  const arms = WARNINGS.map((w) => {
    const any = w.anyOf.map((c) => `coalesce(${conditionSql(c, alias, params)}, false)`).join(' OR ');
    return `CASE WHEN ${w.wholeYear ? `${alias}."months" = 12 AND (${any})` : any} THEN '${w.code}' END`;
  });
  return `nullif(list_filter([${arms.join(', ')}], x -> x IS NOT NULL), [])`;
}

function factsOf(i: Indicator, out: Set<string>): void {
  for (const expr of [i.value, i.numerator, i.denominator]) {
    if (expr === undefined) continue;
    for (const k of i.keys ?? [undefined]) for (const m of (k === undefined ? expr : expr.replaceAll('<key>', k)).matchAll(FACT)) out.add(m[1]!);
  }
}

/** Every fact the catalogue's expressions name (the analytics models must provide each). */
export function factsNamed(list: readonly Indicator[] = INDICATORS): Set<string> {
  const out = new Set<string>();
  for (const i of list) factsOf(i, out);
  return out;
}
