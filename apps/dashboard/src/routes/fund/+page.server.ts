import type { PageServerLoad } from './$types';
import { figuresPage } from '$lib/server/page';
import { readHouseholdAccounts, readIndicators, readMonthly } from '@ncms/analytics';
import { divHalfUp, toScaled, yuan } from '@ncms/rules';
import { policyFor } from '$lib/server/policy';

const IDS = [
  'funds_raised', 'funds_by_source', 'expected_contributions', 'collection_gap', 'collection_rate', 'per_capita_funding', 'enrollees',
  'payouts_total', 'family_account_funds', 'pooled_funds', 'family_account_payouts', 'pooled_payouts', 'family_account_balance',
  'fund_utilization', 'surplus_rate', 'cumulative_surplus', 'cumulative_surplus_share', 'cumulative_surplus_months', 'projected_year_end', 'warnings',
];
const HISTORY_IDS = ['funds_raised', 'pooled_funds', 'pooled_payouts', 'surplus_rate', 'cumulative_surplus'];

/** The pool's spending to date by month and the straight line of the year's pooled funds (exact: summed in fen). */
function pace(months: Record<string, unknown>[], funds: string | null): Record<string, unknown>[] {
  let spent = 0n;
  const raised = funds == null ? null : toScaled(funds, 2);
  return months.map((m) => {
    spent += toScaled(String(m.pooled_payouts ?? '0'), 2);
    const month = Number(String(m.month).slice(5));
    // funds × m / 12, half up to the fen
    const line = raised === null ? null : divHalfUp(raised * BigInt(month), 12n);
    return { month: m.month, pooled_payouts: m.pooled_payouts, spent_to_date: yuan(spent), straight_line: line === null ? null : yuan(line) };
  });
}

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'fund', async ({ filters, years, platform }) => {
    const { year } = filters;

    // The fund is pooled at the county: every figure here is the county's.
    const county = { grain: 'county' as const };
    const [now, months, accounts, history, policy] = await Promise.all([
      platform.read((c) => readIndicators(c, { year, ...county, ids: IDS })),
      platform.read((c) => readMonthly(c, { year, ...county, ids: ['pooled_payouts'] })),
      platform.read((c) => readHouseholdAccounts(c, year)),
      Promise.all(years.filter((y) => y <= year).map((y) => platform.read((c) => readIndicators(c, { year: y, ...county, ids: HISTORY_IDS })))),
      policyFor(platform, year),
    ]);
    const row = now.rows[0];
    if (!row) return { empty: true as const, year };
    return {
      empty: false as const,
      year,
      township: filters.township,
      unit: row,
      pace: pace(months.rows, row.pooled_funds as string | null),
      accounts,
      history: history.map((h) => h.rows[0]).filter((r) => r !== undefined),
      targets: policy?.policy.targets ?? {},
    };
  });
