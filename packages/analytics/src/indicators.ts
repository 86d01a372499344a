/**
 * Indicators of a scheme year at one grain, computed in DuckDB: first the unit facts
 * (each unit's own totals, never an average of lower units' rates), then every catalogue
 * entry's SQL over them. Claims count when their person is enrolled that year and are
 * attributed to the village of that enrolment.
 */
import {
  FUND_SOURCES, PAYOUT_LEVELS, concentrationIndex, fen, indicatorColumns, lorenzPoints, range, toScaled, unitOf, weightedGini,
  type Grain, type Policy,
} from '@ncms/rules';
import { query, type DuckDBConnection } from '@ncms/warehouse';
import { DISCREPANCY_SUMS, drugShareBreachesSql, nonEnrolledSql } from './audit-sql.ts';
import { computeExpected, type PolicyFor } from './expected.ts';

export const GRAIN_LENGTH: Record<Grain, number> = { county: 6, township: 9, village: 12 };

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The policy's numbers the catalogue's SQL refers to as $name (NULL without a policy). */
function policyParams(policy: Policy | undefined): Record<string, string> {
  const t = policy?.targets ?? {};
  const dec = (x: number | undefined) => (x === undefined ? 'NULL' : String(x));
  return {
    target_bp: t.participation_rate === undefined ? 'NULL' : String(toScaled(t.participation_rate, 4)),
    max_surplus_rate: dec(t.max_surplus_rate),
    max_cumulative_share: dec(t.max_cumulative_surplus_share),
    deficit_warning: dec(t.deficit_warning),
  };
}

/** VALUES rows (category, source, fen) of the policy's funding standards; a missing category falls back to general. */
function standardsValues(policy: Policy): string {
  const cats = ['general', 'wubao', 'dibao', 'tekun', 'disabled', 'poor'] as const;
  const rows = cats.flatMap((c) => {
    const std = policy.funding.standards[c] ?? policy.funding.standards.general!;
    return FUND_SOURCES.map((s) => `(${lit(c)}, ${lit(s)}, ${fen(std[s] ?? 0)})`);
  });
  return `(VALUES ${rows.join(', ')}) AS s(category, source, fen)`;
}

function rewardSql(policy: Policy | undefined): string {
  const tiers = [...(policy?.village_rewards ?? [])].sort((a, b) => b.min_rate - a.min_rate);
  if (!tiers.length) return policy ? '0' : 'NULL';
  const arms = tiers.map((t) => `WHEN v.enrollees * 10000 >= ${toScaled(t.min_rate, 4)} * v.agri THEN v.enrollees * ${fen(t.per_enrollee)}`);
  return `CASE WHEN v.agri IS NULL THEN NULL ${arms.join(' ')} ELSE 0 END`;
}

/**
 * Claim sums shared by the year's facts and the monthly facts, so a monthly figure and the
 * year's are one definition. `where` selects the claims (a scheme year, or everything).
 */
export function payoutSums(where: string): string {
  const inp = `${where} AND c.visit_type = 'inpatient'`;
  const out = `${where} AND c.visit_type = 'outpatient'`;
  return [
    `count(*) FILTER (${inp}) AS inpatient_stays`,
    `coalesce(sum(c.total_cost) FILTER (${inp}), 0) AS inpatient_cost`,
    `coalesce(sum(c.eligible_cost) FILTER (${inp}), 0) AS inpatient_eligible_cost`,
    `coalesce(sum(c.reimbursed) FILTER (${inp}), 0) AS inpatient_payout`,
    `coalesce(sum(greatest(c.discharge_date - c.admission_date, 1)) FILTER (${inp}), 0) AS stay_days`,
    `count(*) FILTER (${out}) AS outpatient_visits`,
    `coalesce(sum(c.reimbursed) FILTER (${out}), 0) AS outpatient_payout`,
    `coalesce(sum(c.total_cost) FILTER (${out}), 0) AS outpatient_cost`,
    `coalesce(sum(c.reimbursed) FILTER (${where}), 0) AS payouts_total`,
  ].join(',\n    ');
}

/**
 * The unit facts of a year at a grain. With a policy, temp table `expected` (computeExpected)
 * must exist: the audit facts compare it with what was paid.
 */
export function factsSql(year: number, grain: Grain, policy: Policy | undefined, censusYear: number | null, openingBalance = '0'): string {
  const L = GRAIN_LENGTH[grain];
  const code = (col: string) => `left(${col}, ${L})`;
  const inp = `c.scheme_year = ${year} AND c.visit_type = 'inpatient'`;
  const cap = policy?.inpatient.annual_cap;
  const levelCol = `CASE WHEN f.level IS NULL THEN 'unknown' WHEN NOT f.designated THEN 'non_designated' ELSE f.level END`;
  const ledgerInUnit = grain === 'county' ? `(l.division_code IS NULL OR left(l.division_code, 6) = u.code)` : `left(l.division_code, ${L}) = u.code`;
  const fenToYuan = (x: string) => `CAST(CAST(${x} AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2))`;
  return `
WITH cen AS (SELECT * FROM census WHERE year = ${censusYear ?? 'NULL'}),
enr AS (SELECT * FROM enrollment WHERE year = ${year}),
units AS (
  SELECT ${code('division_code')} AS code FROM cen UNION SELECT ${code('division_code')} FROM enr
),
names AS (
  SELECT ${code('division_code')} AS code,
    ${grain === 'village' ? 'any_value(village_name)' : grain === 'township' ? 'any_value(township_name)' : lit(policy?.scheme ?? '全县')} AS name,
    sum(agricultural_population) AS agri
  FROM cen GROUP BY 1
),
eu AS (
  SELECT ${code('division_code')} AS code, count(*) AS enrollees, count(DISTINCT household_id) AS households,
         count(*) FILTER (category <> 'general') AS subsidized
  FROM enr GROUP BY 1
),
village_rewards AS (
  SELECT ${code('v.code')} AS code, sum(${rewardSql(policy)}) AS reward_fen
  FROM (SELECT c.division_code AS code, c.agricultural_population AS agri, coalesce(e.n, 0) AS enrollees
        FROM cen c LEFT JOIN (SELECT division_code, count(*) AS n FROM enr GROUP BY 1) e USING (division_code)) v
  GROUP BY 1
),
expected_funding AS (
  ${policy ? `SELECT ${code('e.division_code')} AS code, ${FUND_SOURCES.map((s) => `sum(s.fen) FILTER (s.source = ${lit(s)}) AS exp_${s}`).join(', ')}
  FROM enr e JOIN ${standardsValues(policy)} ON s.category = e.category GROUP BY 1`
    : `SELECT NULL::VARCHAR AS code, ${FUND_SOURCES.map((s) => `NULL::BIGINT AS exp_${s}`).join(', ')} WHERE false`}
),
cl AS (
  SELECT c.*, ${code('e.division_code')} AS code, e.division_code AS village, e.category AS enr_category,
         ${levelCol} AS lvl, f.in_county AS fac_in_county
  FROM claims c JOIN enrollment e ON e.year = c.scheme_year AND e.person_id = c.person_id
  LEFT JOIN facilities f USING (facility_code)
  WHERE c.scheme_year = ${year}
),
cu AS (
  SELECT code,
    ${payoutSums(`c.scheme_year = ${year}`)},
    count(DISTINCT person_id) FILTER (c.scheme_year = ${year} AND reimbursed > 0) AS beneficiaries,
    sum(drug_cost) FILTER (${inp} AND drug_cost IS NOT NULL) AS drug_cost,
    sum(total_cost) FILTER (${inp} AND drug_cost IS NOT NULL) AS drug_base,
    count(*) FILTER (${inp} AND fac_in_county) AS in_county_stays,
    count(*) FILTER (${inp} AND NOT fac_in_county) AS out_stays,
    count(*) FILTER (${inp} AND NOT fac_in_county AND referral) AS referred_out_stays,
    ${PAYOUT_LEVELS.map((l) => `coalesce(sum(reimbursed) FILTER (${inp} AND lvl = ${lit(l)}), 0) AS level_${l}_payout, count(*) FILTER (${inp} AND lvl = ${lit(l)}) AS level_${l}_stays`).join(',\n    ')},
    ${(['sub', 'gen'] as const)
      .map((g) => {
        const cond = `${inp} AND enr_category ${g === 'sub' ? '<>' : '='} 'general'`;
        return `coalesce(sum(reimbursed) FILTER (${cond}), 0) AS ${g}_payout, coalesce(sum(eligible_cost) FILTER (${cond}), 0) AS ${g}_eligible`;
      })
      .join(',\n    ')}
  FROM cl c GROUP BY code
),
catastrophic AS (
  -- out of pocket over the year against the income of the person's village
  SELECT p.code, count(*) FILTER (p.oop >= 0.4 * v.per_capita_net_income) AS catastrophic
  FROM (SELECT code, village, person_id, sum(total_cost - reimbursed) AS oop FROM cl c WHERE c.scheme_year = ${year} GROUP BY ALL) p
  JOIN cen v ON v.division_code = p.village
  GROUP BY p.code
),
large AS (
  SELECT code, count(*) FILTER (p >= 2000) AS large_ge_2000, count(*) FILTER (p >= 5000) AS large_ge_5000,
         count(*) FILTER (p >= 10000) AS large_ge_10000,
         ${cap == null ? 'NULL::BIGINT' : `count(*) FILTER (p >= ${cap})`} AS large_at_cap
  FROM (SELECT code, person_id, sum(reimbursed) AS p FROM cl c WHERE ${inp} GROUP BY ALL) GROUP BY code
),
audit AS (
  ${policy
    ? `SELECT code, ${DISCREPANCY_SUMS} FROM (SELECT c.code, c.reimbursed - e.expected_payout AS difference FROM cl c JOIN expected e USING (claim_id) WHERE c.scheme_year = ${year}) GROUP BY code`
    : 'SELECT NULL::VARCHAR AS code, NULL::BIGINT AS audit_underpaid_claims, NULL::DECIMAL(18,2) AS audit_underpaid_refund_due, NULL::BIGINT AS audit_overpaid_claims, NULL::DECIMAL(18,2) AS audit_overpaid_amount WHERE false'}
),
spent_to_date AS (
  -- every year up to this one, for the cumulative surplus: only the columns it needs
  SELECT ${code('e.division_code')} AS code, sum(c.reimbursed) AS spent
  FROM claims c JOIN enrollment e ON e.year = c.scheme_year AND e.person_id = c.person_id
  WHERE c.scheme_year <= ${year} GROUP BY 1
),
funds AS (
  SELECT u.code,
    coalesce(sum(l.amount) FILTER (l.year = ${year} AND l.direction = 'in' AND l.category IN (${FUND_SOURCES.map(lit).join(', ')})), 0) AS funds_raised,
    ${FUND_SOURCES.map((s) => `coalesce(sum(l.amount) FILTER (l.year = ${year} AND l.direction = 'in' AND l.category = ${lit(s)}), 0) AS funds_${s}`).join(',\n    ')},
    coalesce(sum(l.amount) FILTER (l.year <= ${year} AND l.direction = 'in'), 0) AS income_to_date
  FROM units u LEFT JOIN ledger l ON ${ledgerInUnit} GROUP BY u.code
),
ne AS (${nonEnrolledSql(year)}),
months AS (
  SELECT CASE WHEN current_date > DATE '${year}-12-31' THEN 12 ELSE coalesce(month(max(discharge_date)), 12) END AS m
  FROM claims WHERE scheme_year = ${year}
)
SELECT u.code, n.name, n.agri AS agricultural_population,
  coalesce(eu.enrollees, 0) AS enrollees, coalesce(eu.households, 0) AS households, coalesce(eu.subsidized, 0) AS subsidized,
  ${fenToYuan('vr.reward_fen')} AS village_reward,
  fu.* EXCLUDE (code, income_to_date),
  ${FUND_SOURCES.map((s) => `${fenToYuan(`ex.exp_${s}`)} AS expected_${s}`).join(', ')},
  coalesce(cu.inpatient_stays, 0) AS inpatient_stays, coalesce(cu.inpatient_cost, 0) AS inpatient_cost,
  coalesce(cu.inpatient_eligible_cost, 0) AS inpatient_eligible_cost, coalesce(cu.inpatient_payout, 0) AS inpatient_payout,
  coalesce(cu.stay_days, 0) AS stay_days, coalesce(cu.outpatient_visits, 0) AS outpatient_visits,
  coalesce(cu.outpatient_payout, 0) AS outpatient_payout, coalesce(cu.outpatient_cost, 0) AS outpatient_cost,
  coalesce(cu.beneficiaries, 0) AS beneficiaries, cu.drug_cost, cu.drug_base,
  coalesce(cu.in_county_stays, 0) AS in_county_stays, coalesce(cu.out_stays, 0) AS out_stays, coalesce(cu.referred_out_stays, 0) AS referred_out_stays,
  ${PAYOUT_LEVELS.map((l) => `coalesce(cu.level_${l}_payout, 0) AS level_${l}_payout, coalesce(cu.level_${l}_stays, 0) AS level_${l}_stays`).join(', ')},
  coalesce(lg.large_ge_2000, 0) AS large_ge_2000, coalesce(lg.large_ge_5000, 0) AS large_ge_5000,
  coalesce(lg.large_ge_10000, 0) AS large_ge_10000, ${cap == null ? 'NULL::BIGINT' : 'coalesce(lg.large_at_cap, 0)'} AS large_at_cap,
  coalesce(cu.payouts_total, 0) AS payouts_total,
  coalesce(cu.sub_payout, 0) AS sub_payout, coalesce(cu.sub_eligible, 0) AS sub_eligible,
  coalesce(cu.gen_payout, 0) AS gen_payout, coalesce(cu.gen_eligible, 0) AS gen_eligible,
  coalesce(ct.catastrophic, 0) AS catastrophic,
  coalesce(au.audit_underpaid_claims, 0) AS audit_underpaid_claims, coalesce(au.audit_underpaid_refund_due, 0) AS audit_underpaid_refund_due,
  coalesce(au.audit_overpaid_claims, 0) AS audit_overpaid_claims, coalesce(au.audit_overpaid_amount, 0) AS audit_overpaid_amount,
  ${grain === 'county' ? '(SELECT non_enrolled_claims FROM ne)' : 'NULL::BIGINT'} AS non_enrolled_claims,
  ${grain === 'county' ? '(SELECT non_enrolled_reimbursed FROM ne)' : 'NULL::DECIMAL(18,2)'} AS non_enrolled_reimbursed,
  ${grain === 'county' && policy?.targets?.max_drug_share !== undefined ? `(SELECT count(*) FROM (${drugShareBreachesSql(year, policy.targets.max_drug_share)}))` : 'NULL::BIGINT'} AS drug_share_breaches,
  ${grain === 'county' ? `CAST(${toScaled(openingBalance, 2)} AS DECIMAL(18,0)) * 0.01 + ` : ''}fu.income_to_date
    - coalesce(sp.spent, 0) AS cumulative_surplus,
  mo.m AS months
FROM units u
LEFT JOIN names n USING (code) LEFT JOIN eu USING (code) LEFT JOIN village_rewards vr USING (code)
LEFT JOIN expected_funding ex USING (code) LEFT JOIN cu USING (code) LEFT JOIN large lg USING (code) LEFT JOIN funds fu USING (code)
LEFT JOIN catastrophic ct USING (code) LEFT JOIN audit au USING (code) LEFT JOIN spent_to_date sp USING (code)
CROSS JOIN months mo
WHERE u.code IS NOT NULL`;
}

/** SELECT list of catalogue columns over facts `f`, policy values inlined, money as exact text. */
export function catalogueSelect(cols: ReturnType<typeof indicatorColumns>, policy: Policy | undefined): string[] {
  const params = policyParams(policy);
  return cols.map(({ column, indicator, key }) => {
    if (indicator.computedBy === 'equity' || indicator.sql === undefined) return `NULL::DOUBLE AS "${column}"`;
    let sql = key ? indicator.sql.replaceAll('{key}', key) : indicator.sql;
    sql = sql.replace(/\$(\w+)/g, (_, n: string) => params[n] ?? 'NULL');
    if (indicator.needsPolicy && !policy) sql = 'NULL';
    const unit = unitOf(indicator, key);
    const cast = unit === 'yuan' ? `CAST(${sql} AS DECIMAL(18,2))::VARCHAR` : unit === 'codes' ? `nullif(${sql}, '')` : sql;
    return `${cast} AS "${column}"`;
  });
}

/** The census used for a year: its own, or the latest earlier one (spec: indicators). */
export async function censusYearFor(conn: DuckDBConnection, year: number): Promise<number | null> {
  const [r] = await query<{ y: number | null }>(conn, `SELECT max(year) AS y FROM census WHERE year <= ${year}`);
  return r?.y ?? null;
}

export interface IndicatorTable {
  columns: string[];
  rows: Record<string, string | number | null>[];
  /** Which census year was used, and whether the policy came from an earlier year. */
  notes: string[];
}

export interface IndicatorOptions {
  year: number;
  grain: Grain;
  /** The year's policy: targets, standards, rewards, warnings and the audit figures need it. */
  policy?: Policy;
  /** Earlier years' policies, for household accounts carried into the year's expected payouts. */
  earlier?: PolicyFor;
  /** The fund's balance before the first year (元), counted in the county's cumulative surplus. Default 0. */
  openingBalance?: string;
  /** Notes to pass on (e.g. which year's policy was used). */
  notes?: string[];
}

export async function computeIndicators(conn: DuckDBConnection, opts: IndicatorOptions): Promise<IndicatorTable> {
  const { year, grain, policy, earlier, notes = [] } = opts;
  if (policy) await computeExpected(conn, year, (y) => (y === year ? policy : earlier?.(y)));
  const censusYear = await censusYearFor(conn, year);
  const allNotes = [...notes];
  if (censusYear !== null && censusYear !== year) allNotes.push(`${year} 年无人口统计，使用 ${censusYear} 年数据 (census of ${censusYear})`);
  if (censusYear === null) allNotes.push(`${year} 年及以前没有人口统计 (no census)`);
  if (!policy) allNotes.push('未提供政策文件：目标、应筹资金、奖励与预警为空 (no policy: targets and warnings empty)');
  const cols = indicatorColumns();
  const select = catalogueSelect(cols, policy);
  const rows = await query<Record<string, string | number | null>>(
    conn,
    `SELECT ${year} AS year, '${grain}' AS level, f.code AS division_code, f.name, ${select.join(',\n  ')}
     FROM (${factsSql(year, grain, policy, censusYear, opts.openingBalance)}) f
     -- a year with neither its own enrolment nor its own census has no rows
     WHERE EXISTS (SELECT 1 FROM enrollment WHERE year = ${year}) OR EXISTS (SELECT 1 FROM census WHERE year = ${year})
     ORDER BY f.code`,
  );
  await fillEquity(conn, year, grain, censusYear, rows);
  return { columns: ['year', 'level', 'division_code', 'name', ...cols.map((c) => c.column)], rows, notes: allNotes };
}

interface SubUnit {
  code: string;
  agri: number;
  enrollees: number;
  payout: number;
  income: number | null;
}

/** Totals of the units at one code length: the inputs of the equity maths. */
async function subUnits(conn: DuckDBConnection, year: number, censusYear: number | null, length: number): Promise<SubUnit[]> {
  const rows = await query<{ code: string; agri: number; enrollees: number; payout: string; income: string | null }>(
    conn,
    `SELECT code, sum(agri) AS agri, sum(enrollees) AS enrollees, sum(payout)::VARCHAR AS payout, max(income)::VARCHAR AS income FROM (
       SELECT left(division_code, ${length}) AS code, agricultural_population AS agri, 0 AS enrollees, 0 AS payout, per_capita_net_income AS income
       FROM census WHERE year = ${censusYear ?? 'NULL'}
       UNION ALL SELECT left(division_code, ${length}), 0, count(*), 0, NULL FROM enrollment WHERE year = ${year} GROUP BY 1
       UNION ALL SELECT left(e.division_code, ${length}), 0, 0, sum(c.reimbursed), NULL
       FROM claims c JOIN enrollment e ON e.year = c.scheme_year AND e.person_id = c.person_id WHERE c.scheme_year = ${year} GROUP BY 1
     ) GROUP BY code ORDER BY code`,
  );
  // Equity indicators are rates: binary floating point is fine here (money stays exact elsewhere).
  return rows.map((r) => ({ code: r.code, agri: r.agri, enrollees: r.enrollees, payout: Number(r.payout), income: r.income === null ? null : Number(r.income) }));
}

/** Gini, range and concentration index from the sub-units of each row (spec: equity indicators). */
async function fillEquity(conn: DuckDBConnection, year: number, grain: Grain, censusYear: number | null, rows: Record<string, string | number | null>[]) {
  if (grain === 'village' || rows.length === 0) return;
  const villages = await subUnits(conn, year, censusYear, 12);
  const across = grain === 'county' ? await subUnits(conn, year, censusYear, 9) : villages;
  for (const row of rows) {
    const code = String(row.division_code);
    const inside = <T extends { code: string }>(xs: T[]) => xs.filter((x) => x.code.startsWith(code));
    const kids = inside(across);
    const participation = kids.map((k) => ({ x: k.enrollees / k.agri, w: k.agri }));
    const payout = kids.map((k) => ({ x: k.payout / k.enrollees, w: k.enrollees }));
    row.township_gini_participation_rate = weightedGini(participation);
    row.township_gini_payout_per_enrollee = weightedGini(payout);
    const pr = range(participation);
    const pp = range(payout);
    row.township_range_participation_rate_range = pr.range;
    row.township_range_participation_rate_ratio = pr.ratio;
    row.township_range_payout_per_enrollee_range = pp.range;
    row.township_range_payout_per_enrollee_ratio = pp.ratio;
    row.concentration_index = concentrationIndex(
      inside(villages)
        .filter((v) => v.income !== null)
        .map((v) => ({ x: v.payout / v.enrollees, w: v.enrollees, rankBy: v.income!, code: v.code })),
    );
  }
}

/** The Lorenz curve of a unit's villages (a series: JSON/API only). */
export async function lorenzSeries(conn: DuckDBConnection, year: number, code: string) {
  const villages = (await subUnits(conn, year, await censusYearFor(conn, year), 12)).filter((v) => v.code.startsWith(code));
  return lorenzPoints(villages.map((v) => ({ enrollees: v.enrollees, payout: v.payout, code: v.code })));
}

