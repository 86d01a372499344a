/**
 * What-if (spec/policy.md, "Derived uses"): a year's claims under a new policy.
 *   coefficient            = payouts of Y's enrolee claims under NEW ÷ their settled payouts
 *   per-capita spending    = payouts_total(Y) ÷ enrollees(Y) × coefficient × (1 + G)
 *   projected balance      = Σ NEW's funding standards over Y's enrolees − per-capita × enrollees(Y)
 * payouts_total(Y) is the settled sum of the same claims, so per-capita spending equals the
 * simulated payouts × (1 + G) ÷ enrollees; it is computed that way, exactly, in fen. The
 * warnings are the catalogue's, judged on the projection.
 */
import { fen, toScaled, warningsSql, yuan, type Policy } from '@ncms/rules';
import { query, rows, type DuckDBConnection } from '@ncms/warehouse';
import { catalogueParams } from './evaluate/catalogue.ts';
import { householdOpeningSql, type PolicyFor } from './evaluate/fresh.ts';
import { censusYearFor } from './evaluate/year.ts';
import { policyModels, yearVars } from './models/code-models.ts';
import { runModels } from './models/run-models.ts';
import { ANALYTICS_TABLES } from './prepare/refresh.ts';

export interface Simulation {
  year: number;
  enrollees: number;
  claims: number;
  settled: string;
  simulated: string;
  coefficient: number | null;
  growth: string;
  per_capita_spending: string | null;
  projected_funds: string;
  projected_spending: string;
  projected_balance: string;
  projected_surplus_rate: number | null;
  warnings: string[];
}

function divHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/**
 * Re-runs year Y's claims under `newPolicy`. `earlier` gives the county's policies of earlier
 * years: household accounts open with last year's closing balance from the analytics tables.
 */
export async function simulate(conn: DuckDBConnection, year: number, newPolicy: Policy, growth: string, earlier: PolicyFor): Promise<Simulation> {
  const policyFor: PolicyFor = (y) => (y === year ? newPolicy : earlier(y));
  const run = await runModels(conn, {
    want: ['int_claims_expected', 'int_enrollees', 'policy_standards'],
    vars: yearVars(year, await censusYearFor(conn, year), newPolicy),
    code: policyModels(newPolicy, householdOpeningSql(ANALYTICS_TABLES.household_closing, year, policyFor)),
  });
  try {
    const r = run.relation;
    const [t] = await query<{ claims: number; settled: string; simulated: string; enrollees: number; funds: string }>(
      conn,
      `SELECT count(*) AS claims, coalesce(sum(a.reimbursed), 0)::VARCHAR AS settled, coalesce(sum(x.expected_payout), 0)::VARCHAR AS simulated,
              (SELECT count(*) FROM ${r('int_enrollees')}) AS enrollees,
              (SELECT coalesce(sum(s.amount_fen), 0) FROM ${r('int_enrollees')} e JOIN ${r('policy_standards')} s USING (category))::VARCHAR AS funds
       FROM ${r('int_claims_attributed')} a JOIN ${r('int_claims_expected')} x USING (claim_id) WHERE a.enrolled`,
    );
    const g = toScaled(growth, 4);
    const settled = fen(t!.settled);
    const simulated = fen(t!.simulated);
    const funds = BigInt(t!.funds);
    const spending = divHalfUp(simulated * (10000n + g), 10000n);
    const balance = funds - spending;
    const enrollees = t!.enrollees;
    // The catalogue's warnings over the projected year as facts: a whole year (m = 12), no sums to date.
    const [w] = await rows<{ warnings: string[] | null }>(
      conn,
      `SELECT ${warningsSql('f', catalogueParams(newPolicy))} AS warnings
       FROM (SELECT 'county' AS level, ${yuan(funds)}::DECIMAL(18,2) AS funds_raised, 0 AS family_account_funds, 0 AS family_account_returned,
                    ${yuan(spending)}::DECIMAL(18,2) AS pooled_payouts, 12 AS months, NULL::DECIMAL(18,2) AS opening_balance,
                    NULL::DECIMAL(18,2) AS income_all_to_date, NULL::DECIMAL(18,2) AS family_account_funds_to_date,
                    NULL::DECIMAL(18,2) AS family_account_returned_to_date, NULL::DECIMAL(18,2) AS pooled_payouts_to_date) f`,
    );
    return {
      year,
      enrollees,
      claims: t!.claims,
      settled: yuan(settled),
      simulated: yuan(simulated),
      coefficient: settled > 0n ? Number(simulated) / Number(settled) : null,
      growth,
      per_capita_spending: enrollees > 0 ? yuan(divHalfUp(spending, BigInt(enrollees))) : null,
      projected_funds: yuan(funds),
      projected_spending: yuan(spending),
      projected_balance: yuan(balance),
      projected_surplus_rate: funds > 0n ? Number(balance) / Number(funds) : null,
      warnings: [...(w?.warnings ?? [])],
    };
  } finally {
    await run.drop();
  }
}
