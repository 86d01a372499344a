import type { PageServerLoad } from './$types';
import { figuresPage } from '$lib/server/page';
import { readIndicators, readInsurerMonthly } from '@ncms/analytics';
import { policyFor } from '$lib/server/policy';

const IDS = ['enrollees', 'pooled_payouts', 'insurer_premium', 'insurer_result', 'insurer_share', 'fund_share_of_result', 'insurer_final'];

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'insurer', async ({ filters, platform }) => {
    const { year } = filters;
    const policy = (await policyFor(platform, year))?.policy;
    // the insurer's contract is the county's, under the year's policy
    if (!policy?.insurer) return { empty: false as const, year, contract: null };
    const [county, months] = await Promise.all([
      platform.read((c) => readIndicators(c, { year, grain: 'county', ids: IDS })),
      platform.read((c) => readInsurerMonthly(c, year, policy)),
    ]);
    const row = county.rows[0];
    if (!row) return { empty: true as const, year };
    return { empty: false as const, year, contract: policy.insurer, unit: row, months: months.rows };
  });
