import type { PageServerLoad } from './$types';
import { figuresPage } from '$lib/server/page';
import { readCampaign, readIndicators } from '@ncms/analytics';
import { policyFor } from '$lib/server/policy';
import { scopeOf } from '$lib/server/scope';
import { townshipMap } from '$lib/server/map';

const IDS = [
  'agricultural_population', 'enrollees', 'households', 'participation_rate', 'subsidized_enrollees', 'subsidized_share', 'gap_to_target', 'village_reward',
  'renewal_rate', 'new_enrollees', 'dropped_enrollees', 'enrollees_growth',
];

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'enrollment', async ({ filters, platform }) => {
    const { year } = filters;
    const scope = scopeOf(filters);
    const [unit, children, campaign, policy, map] = await Promise.all([
      platform.read((c) => readIndicators(c, { year, grain: scope.grain, units: scope.units, ids: IDS })),
      scope.childGrain ? platform.read((c) => readIndicators(c, { year, grain: scope.childGrain!, within: scope.within, ids: IDS })) : null,
      platform.read((c) => readCampaign(c, { year, grain: scope.grain, units: scope.units })),
      policyFor(platform, year),
      scope.grain === 'county' ? townshipMap(platform) : null,
    ]);
    const row = unit.rows[0];
    if (!row) return { empty: true as const, year };
    return {
      empty: false as const,
      year,
      scope,
      unit: row,
      children: children?.rows ?? [],
      campaign: campaign.rows,
      target: policy?.policy.targets?.participation_rate,
      rewards: policy?.policy.village_rewards ?? [],
      map,
    };
  });
