/**
 * The compensation rules of a policy compiled to one DuckDB query, so millions of claims
 * are compensated set-based. Same definition as compensate.ts, in integer fen:
 * rates and factors are integers of 1/10000, the raw amount is rounded half up exactly
 * once, and the annual caps use the closed form of "what is left of the cap":
 *   granted_i = min(cap, Σ_{j≤i} x_j) − min(cap, Σ_{j<i} x_j)
 * first per level (x = raw), then overall (x = the level-capped amounts), which equals the
 * claim-by-claim definition because amounts are never negative.
 */
import { fen, toScaled } from './decimal.ts';
import type { LevelRule, Policy } from './policy.ts';
import { RULE_LEVEL } from './vocabulary.ts';

const LEVELS = RULE_LEVEL.codes;

/**
 * Columns the input relation must have: claim_id, person_id, visit_type, discharge_date
 * (DATE), total_cost, eligible_cost (DECIMAL), level (VARCHAR, NULL = unknown facility),
 * in_county, designated, referral (BOOLEAN), single_disease_code, enrolled (BOOLEAN),
 * household_id, household_members (INTEGER), opening_carry (DECIMAL, 元).
 */
export const COMPENSATION_INPUT_COLUMNS = [
  'claim_id', 'person_id', 'visit_type', 'discharge_date', 'total_cost', 'eligible_cost', 'level', 'in_county',
  'designated', 'referral', 'single_disease_code', 'enrolled', 'household_id', 'household_members', 'opening_carry',
] as const;

const bp = (x: number | undefined, def = 10000n): string => String(x === undefined ? def : toScaled(x, 4));
const f = (x: number): string => String(fen(x));
const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function bandsSql(rule: LevelRule, base: string): string {
  const d = fen(rule.deductible);
  if (rule.mode === 'whole') {
    const arms = rule.bands.map((b) => (b.upTo === null ? `ELSE ${bp(b.rate)} * (${base} - ${d})` : `WHEN ${base} <= ${f(b.upTo)} THEN ${bp(b.rate)} * (${base} - ${d})`));
    if (!rule.bands.some((b) => b.upTo === null)) arms.push('ELSE 0');
    return `CASE WHEN ${base} <= ${d} THEN 0 ${arms.join(' ')} END`;
  }
  let prevUp: bigint | null = null;
  const terms: string[] = [];
  for (const b of rule.bands) {
    const up = b.upTo === null ? null : fen(b.upTo);
    const lower = prevUp === null || prevUp < d ? d : prevUp;
    const top = up === null ? base : `least(${base}, ${up})`;
    terms.push(`${bp(b.rate)} * greatest(0, ${top} - ${lower})`);
    prevUp = up;
  }
  return terms.join(' + ');
}

function inpatientLevelSql(policy: Policy, rule: LevelRule): string {
  // fen × 10^4 (rate) × 10^4 (factor) × 10^4 (unreferred factor) = fen × 10^12
  const x = `(${bandsSql(rule, 'base_fen')}) * ${bp(rule.factor)} * (CASE WHEN NOT in_county AND NOT referral THEN ${bp(policy.inpatient.unreferred_factor)} ELSE 10000 END)`;
  const capped = rule.claim_cap == null ? x : `least(${x}, ${f(rule.claim_cap)} * 1000000000000::HUGEINT)`;
  return `((${capped}) + 500000000000) // 1000000000000`;
}

function rawSql(policy: Policy): string {
  const arms: string[] = [];
  const o = policy.outpatient;
  if (o && o.levels.length) {
    const covered = `designated AND rule_level IN (${o.levels.map(lit).join(', ')})`;
    const outRaw =
      o.mode === 'family_account'
        ? 'eligible_fen'
        : (() => {
            const r = `(${bp(o.rate, 0n)} * eligible_fen + 5000) // 10000`;
            return o.per_visit_cap == null ? r : `least(${r}, ${f(o.per_visit_cap)})`;
          })();
    arms.push(`WHEN visit_type = 'outpatient' AND ${covered} THEN ${outRaw}`);
  }
  arms.push(`WHEN visit_type = 'outpatient' THEN 0`);
  for (const sd of policy.single_disease ?? [])
    arms.push(
      `WHEN sd_code = ${lit(sd.code.trim().toUpperCase())} AND rule_level IN (${sd.levels.map(lit).join(', ')}) THEN least(${f(sd.fund_pays)}, total_fen)`,
    );
  const levelArms = LEVELS.filter((l) => policy.inpatient.levels[l]).map((l) => `WHEN ${lit(l)} THEN ${inpatientLevelSql(policy, policy.inpatient.levels[l]!)}`);
  arms.push(levelArms.length ? `ELSE CASE rule_level ${levelArms.join(' ')} ELSE 0 END` : 'ELSE 0');
  return `CASE WHEN NOT coalesce(enrolled, true) OR rule_level IS NULL THEN 0 ${arms.join(' ')} END`;
}

/** "What is left of the cap" over a window, in closed form. */
function capSql(cap: string, x: string, window: string): string {
  return `least(${cap}, sum(${x}) OVER ${window}) - least(${cap}, sum(${x}) OVER ${window} - ${x})`;
}

/**
 * SELECT claim_id, raw_fen, expected_fen, expected_payout (DECIMAL(18,2)) for every claim
 * of the relation `input` (a table name or a parenthesised query). `carry`: input columns
 * passed through to the output as they are (a caller's join key, say).
 */
export function compensationSql(policy: Policy, input: string, opts: { carry?: readonly string[] } = {}): string {
  const carry = (opts.carry ?? []).map((c) => `, ${c}`).join('');
  const order = 'ORDER BY discharge_date, claim_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';
  const levelCaps = LEVELS.filter((l) => policy.inpatient.levels[l]?.annual_cap != null).map(
    (l) => `WHEN ${lit(l)} THEN ${f(policy.inpatient.levels[l]!.annual_cap!)}`,
  );
  const levelCap = levelCaps.length ? `CASE rule_level ${levelCaps.join(' ')} END` : 'NULL';
  const annual = policy.inpatient.annual_cap == null ? null : f(policy.inpatient.annual_cap);
  const o = policy.outpatient;
  const perCapita = policy.funding.family_account_per_capita == null ? '0' : f(policy.funding.family_account_per_capita);
  const outpatientPaid =
    o?.mode === 'family_account'
      ? {
          sql: capSql(`(${perCapita} * coalesce(household_members, 1) + coalesce(CAST(opening_carry * 100 AS BIGINT), 0))`, 'h', 'w'),
          window: `WINDOW w AS (PARTITION BY household_key, y ${order})`,
        }
      : o?.annual_cap != null
        ? { sql: capSql(f(o.annual_cap), 'h', 'w'), window: `WINDOW w AS (PARTITION BY person_id, y ${order})` }
        : { sql: 'h', window: '' };
  return `
WITH c AS (
  SELECT claim_id, person_id, visit_type, discharge_date, year(discharge_date) AS y,
    CAST(round(total_cost * 100) AS BIGINT) AS total_fen, CAST(round(eligible_cost * 100) AS BIGINT) AS eligible_fen,
    CAST(round(eligible_cost * 100) AS HUGEINT) AS base_fen,
    CASE WHEN level IS NULL THEN NULL WHEN coalesce(designated, true) THEN level ELSE 'non_designated' END AS rule_level,
    coalesce(in_county, false) AS in_county, coalesce(referral, false) AS referral, coalesce(designated, true) AS designated,
    upper(trim(single_disease_code)) AS sd_code, enrolled,
    coalesce(household_id, person_id) AS household_key, household_members, opening_carry${carry}
  FROM ${input}
),
r AS (
  SELECT *, CAST(${rawSql(policy)} AS BIGINT) AS raw_fen FROM c
),
-- Caps only move paid amounts among claims with something to pay, and each visit type
-- has its own caps: windows run over those rows alone (inpatient stays are a few per cent).
inp AS (
  SELECT claim_id, raw_fen, person_id, y, discharge_date${carry},
    ${levelCaps.length ? `CASE WHEN ${levelCap} IS NOT NULL THEN ${capSql(levelCap, 'raw_fen', 'w_level')} ELSE raw_fen END` : 'raw_fen'} AS h
  FROM r WHERE visit_type = 'inpatient' AND raw_fen > 0
  ${levelCaps.length ? `WINDOW w_level AS (PARTITION BY person_id, y, rule_level ${order})` : ''}
),
paid AS (
  SELECT claim_id, raw_fen, ${annual === null ? 'h' : capSql(annual, 'h', 'w_person')} AS expected_fen${carry}
  FROM inp ${annual === null ? '' : `WINDOW w_person AS (PARTITION BY person_id, y ${order})`}
  UNION ALL
  SELECT claim_id, raw_fen, ${outpatientPaid.sql} AS expected_fen${carry}
  FROM (SELECT claim_id, raw_fen, raw_fen AS h, person_id, household_key, y, discharge_date, household_members, opening_carry${carry}
        FROM r WHERE visit_type = 'outpatient' AND raw_fen > 0)
  ${outpatientPaid.window}
  UNION ALL
  SELECT claim_id, raw_fen, 0${carry} FROM r WHERE raw_fen = 0
)
SELECT claim_id, raw_fen, CAST(expected_fen AS BIGINT) AS expected_fen,
  CAST(CAST(expected_fen AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS expected_payout${carry}
FROM paid`;
}
