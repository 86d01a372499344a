import type { PageServerLoad } from './$types';
import { remember } from '$lib/server/data';
import { readCampaign, readIndicators } from '@ncms/analytics';
import { policyFor } from '$lib/server/policy';
import { scopeOf } from '$lib/server/scope';
import { townshipMap } from '$lib/server/map';

const IDS = ['agricultural_population', 'enrollees', 'households', 'participation_rate', 'subsidized_enrollees', 'subsidized_share', 'gap_to_target', 'village_reward'];

export const load: PageServerLoad = async ({ locals, parent, url }) => {
  const { available, prepared, filters } = await parent();
  if (!available || !prepared) return { empty: true as const, year: available ? filters.year : undefined };
  return remember(locals.platform, 'enrollment', url, async () => {
    const { year } = filters;
    const scope = scopeOf(filters);
    const p = locals.platform;
    const [unit, children, campaign, policy, map] = await Promise.all([
      p.read((c) => readIndicators(c, { year, grain: scope.grain, units: scope.units, ids: IDS })),
      scope.childGrain ? p.read((c) => readIndicators(c, { year, grain: scope.childGrain!, within: scope.within, ids: IDS })) : null,
      p.read((c) => readCampaign(c, { year, grain: scope.grain, units: scope.units })),
      policyFor(p, year),
      scope.grain === 'county' ? townshipMap(p) : null,
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
};
