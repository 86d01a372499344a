import type { PageServerLoad } from './$types';
import { remember } from '$lib/server/data';
import { readIndicators, readLorenz } from '@ncms/analytics';
import { scopeOf } from '$lib/server/scope';

const IDS = ['enrollees', 'participation_rate', 'payouts_total', 'beneficiary_rate', 'township_gini', 'township_range', 'concentration_index', 'subsidized_gap', 'catastrophic_rate'];
const CHILD_IDS = ['enrollees', 'participation_rate', 'payouts_total', 'beneficiary_rate', 'catastrophic_rate', 'subsidized_share'];

export const load: PageServerLoad = async ({ locals, parent, url }) => {
  const { available, prepared, filters } = await parent();
  if (!available || !prepared) return { empty: true as const, year: available ? filters.year : undefined };
  return remember(locals.platform, 'equity', url, async () => {
    const { year } = filters;
    const scope = scopeOf(filters);
    const p = locals.platform;
    const [now, children] = await Promise.all([
      p.read((c) => readIndicators(c, { year, grain: scope.grain, units: scope.units, ids: IDS })),
      scope.childGrain ? p.read((c) => readIndicators(c, { year, grain: scope.childGrain!, within: scope.within, ids: CHILD_IDS })) : null,
    ]);
    const row = now.rows[0];
    if (!row) return { empty: true as const, year };
    const lorenz = await p.read((c) => readLorenz(c, { year, code: String(row.division_code) }));
    return { empty: false as const, year, scope, unit: row, children: children?.rows ?? [], lorenz };
  });
};
