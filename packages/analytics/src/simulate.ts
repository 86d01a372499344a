/**
 * What-if (spec/policy.md, "What-if"), about the pool (统筹基金): year Y's enrolee claims re-run
 * under a new policy give the coefficient (政策影响系数); the seeds' chain then takes Y's pooled
 * spending per enrolee, adjusts it by the coefficient (按新政策套算), grows it by G (given, or the
 * geometric mean of the loaded years' eligible cost per capita growth) and sets it against the new
 * policy's pooled funding. Household-account outpatient payouts and the household-account share
 * of the funding stay out of every step. The warnings are the catalogue's, judged on the projection.
 */
import { bpText, fen, geometricMeanGrowthBp, toScaled, warningsSql, whatIfChain, yuan, type Policy } from '@ncms/rules';
import { query, rows, type DuckDBConnection } from '@ncms/warehouse';
import { catalogueParams } from './evaluate/catalogue.ts';
import { householdOpeningSql, type PolicyFor } from './evaluate/fresh.ts';
import { censusYearFor } from './evaluate/year.ts';
import { isFamilyAccount, policyModels, yearVars } from './models/code-models.ts';
import { runModels } from './models/run-models.ts';
import { ANALYTICS_TABLES } from './prepare/refresh.ts';

export interface Simulation {
  year: number;
  enrollees: number;
  claims: number;
  /** Y's pooled payouts as settled (元). */
  settled: string;
  /** The same claims' pooled payouts under the new policy (元). */
  simulated: string;
  /** 政策影响系数, 4 decimals. */
  coefficient: number | null;
  /** 人均统筹支出 of Y (元). */
  base_per_capita: string | null;
  /** 按新政策套算 (元). */
  adjusted_per_capita: string | null;
  /** The growth rate used, 4 decimals. */
  growth: string;
  /** Where it came from: given, or derived from these years' eligible cost per capita growth. */
  growth_source: { given: true } | { given: false; years: number[] };
  /** Next year's per-capita pooled spending (元). */
  per_capita_spending: string | null;
  /** 建议人均标的: the per-capita spending to the whole 元 (the next policy's insurer target). */
  suggested_insurer_target: string | null;
  /** Σ over Y's enrolees of the new policy's standard less its household-account share (元). */
  projected_funds: string;
  projected_spending: string | null;
  projected_balance: string | null;
  projected_surplus_rate: number | null;
  warnings: string[];
}

/** The county's eligible cost per capita growth of every loaded year up to Y that has one. */
async function loadedGrowth(conn: DuckDBConnection, year: number): Promise<{ year: number; g: number }[]> {
  return rows<{ year: number; g: number }>(
    conn,
    `SELECT year, eligible_cost_per_capita_growth AS g FROM ${ANALYTICS_TABLES.indicators}
     WHERE level = 'county' AND year <= ${year} AND eligible_cost_per_capita_growth IS NOT NULL ORDER BY year`,
  );
}

/**
 * Re-runs year Y's claims under `newPolicy`. `earlier` gives the county's policies of earlier
 * years: household accounts open with last year's closing balance from the analytics tables.
 */
export async function simulate(conn: DuckDBConnection, year: number, newPolicy: Policy, growth: string | undefined, earlier: PolicyFor): Promise<Simulation> {
  const policyFor: PolicyFor = (y) => (y === year ? newPolicy : earlier(y));
  const run = await runModels(conn, {
    want: ['int_claims_expected', 'int_enrollees', 'policy_standards'],
    vars: yearVars(year, await censusYearFor(conn, year), newPolicy),
    code: policyModels(newPolicy, householdOpeningSql(ANALYTICS_TABLES.household_closing, year, policyFor)),
  });
  try {
    const r = run.relation;
    // Outpatient claims paid from household accounts are not the pool's: under the county's policy
    // of Y for what was settled, under the new policy for what it would pay.
    const settledFamily = isFamilyAccount(earlier(year));
    const newFamily = isFamilyAccount(newPolicy);
    const pooled = (family: boolean, amount: string) => `coalesce(sum(${amount}) FILTER (${family ? "a.visit_type <> 'outpatient'" : 'true'}), 0)::VARCHAR`;
    const [t] = await query<{ claims: number; settled: string; simulated: string; enrollees: number; funds: string }>(
      conn,
      `SELECT count(*) AS claims, ${pooled(settledFamily, 'a.reimbursed')} AS settled, ${pooled(newFamily, 'x.expected_payout')} AS simulated,
              (SELECT count(*) FROM ${r('int_enrollees')}) AS enrollees,
              (SELECT coalesce(sum(s.amount_fen), 0) FROM ${r('int_enrollees')} e JOIN ${r('policy_standards')} s USING (category))::VARCHAR AS funds
       FROM ${r('int_claims_attributed')} a JOIN ${r('int_claims_expected')} x USING (claim_id) WHERE a.enrolled`,
    );
    const enrollees = t!.enrollees;
    const family = newFamily ? fen(newPolicy.funding.family_account_per_capita ?? 0) * BigInt(enrollees) : 0n;
    const pooledFundsFen = BigInt(t!.funds) - family;
    const derived = growth === undefined ? await loadedGrowth(conn, year) : [];
    const growthBp = growth === undefined ? geometricMeanGrowthBp(derived.map((d) => d.g)) : toScaled(growth, 4);
    const c = whatIfChain({ settledPooledFen: fen(t!.settled), newPooledFen: fen(t!.simulated), enrollees, growthBp, pooledFundsFen });
    const money = (x: bigint | null) => (x === null ? null : yuan(x));
    // The catalogue's warnings over the projected year as a county's facts: a whole year (m = 12), no sums to date.
    const [w] = c.projectedSpendingFen === null ? [] : await rows<{ warnings: string[] | null }>(
      conn,
      `SELECT ${warningsSql('f', catalogueParams(newPolicy))} AS warnings
       FROM (SELECT 'county' AS level, ${yuan(pooledFundsFen)}::DECIMAL(18,2) AS funds_raised, 0 AS family_account_funds, 0 AS family_account_returned,
                    ${yuan(c.projectedSpendingFen)}::DECIMAL(18,2) AS pooled_payouts, 12 AS months, NULL::DECIMAL(18,2) AS opening_balance,
                    NULL::DECIMAL(18,2) AS income_all_to_date, NULL::DECIMAL(18,2) AS family_account_funds_to_date,
                    NULL::DECIMAL(18,2) AS family_account_returned_to_date, NULL::DECIMAL(18,2) AS pooled_payouts_to_date) f`,
    );
    return {
      year,
      enrollees,
      claims: t!.claims,
      settled: t!.settled,
      simulated: t!.simulated,
      coefficient: c.coefficientBp === null ? null : Number(bpText(c.coefficientBp)),
      base_per_capita: money(c.baseFen),
      adjusted_per_capita: money(c.adjustedFen),
      growth: bpText(growthBp),
      growth_source: growth === undefined ? { given: false, years: derived.map((d) => d.year) } : { given: true },
      per_capita_spending: money(c.nextFen),
      suggested_insurer_target: c.suggestedTargetYuan === null ? null : String(c.suggestedTargetYuan),
      projected_funds: yuan(pooledFundsFen),
      projected_spending: money(c.projectedSpendingFen),
      projected_balance: money(c.projectedBalanceFen),
      projected_surplus_rate: c.projectedBalanceFen !== null && pooledFundsFen > 0n ? Number(c.projectedBalanceFen) / Number(pooledFundsFen) : null,
      warnings: [...(w?.warnings ?? [])],
    };
  } finally {
    await run.drop();
  }
}
