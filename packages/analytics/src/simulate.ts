/**
 * What-if (spec/policy.md, "Derived uses"): last year's claims under a new policy.
 *   coefficient            = payouts of Y's enrolee claims under NEW ÷ their settled payouts
 *   per-capita spending    = payouts_total(Y) ÷ enrollees(Y) × coefficient × (1 + G)
 *   projected balance      = Σ NEW's funding standards over Y's enrolees − per-capita × enrollees(Y)
 * payouts_total(Y) is the settled sum of the same claims, so per-capita spending equals the
 * simulated payouts × (1 + G) ÷ enrollees; it is computed that way, exactly, in fen.
 */
import { fen, yuan, toScaled, type Policy, SOURCES } from '@ncms/rules';
import { query, type DuckDBConnection } from '@ncms/warehouse';
import { computeExpected, type PolicyFor } from './expected.ts';

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

export async function simulate(conn: DuckDBConnection, year: number, newPolicy: Policy, growth: string, earlier: PolicyFor): Promise<Simulation> {
  await computeExpected(conn, year, (y) => (y === year ? newPolicy : earlier(y)));
  const [t] = await query<{ claims: number; settled: string; simulated: string }>(
    conn,
    `SELECT count(*) AS claims, coalesce(sum(reimbursed), 0)::VARCHAR AS settled, coalesce(sum(expected_payout), 0)::VARCHAR AS simulated
     FROM expected WHERE enrolled`,
  );
  const cats = await query<{ category: string; n: number }>(conn, `SELECT category, count(*) AS n FROM enrollment WHERE year = ${year} GROUP BY ALL`);
  const enrollees = cats.reduce((a, c) => a + c.n, 0);
  let funds = 0n;
  for (const c of cats) {
    const std = newPolicy.funding.standards[c.category as keyof Policy['funding']['standards']] ?? newPolicy.funding.standards.general!;
    const perHead = SOURCES.reduce((a, s) => a + fen(std[s] ?? 0), 0n);
    funds += perHead * BigInt(c.n);
  }
  const g = toScaled(growth, 4);
  const settled = fen(t!.settled);
  const simulated = fen(t!.simulated);
  const spending = divHalfUp(simulated * (10000n + g), 10000n);
  const balance = funds - spending;
  const warnings: string[] = [];
  const targets = newPolicy.targets ?? {};
  const surplusRate = funds > 0n ? Number(balance) / Number(funds) : null;
  if (surplusRate !== null && surplusRate < 0) warnings.push('surplus_negative');
  if (surplusRate !== null && targets.max_surplus_rate !== undefined && surplusRate > targets.max_surplus_rate) warnings.push('surplus_high');
  if (targets.deficit_warning !== undefined && -balance > fen(targets.deficit_warning)) warnings.push('projected_deficit');
  return {
    year,
    enrollees,
    claims: Number(t!.claims),
    settled: yuan(settled),
    simulated: yuan(simulated),
    coefficient: settled > 0n ? Number(simulated) / Number(settled) : null,
    growth,
    per_capita_spending: enrollees > 0 ? yuan(divHalfUp(spending, BigInt(enrollees))) : null,
    projected_funds: yuan(funds),
    projected_spending: yuan(spending),
    projected_balance: yuan(balance),
    projected_surplus_rate: surplusRate,
    warnings,
  };
}
