import type { PageServerLoad } from './$types';
import { figuresPage } from '$lib/server/page';
import { readIndicators, readLorenz } from '@ncms/analytics';
import { scopeOf } from '$lib/server/scope';

const IDS = ['enrollees', 'participation_rate', 'payouts_total', 'beneficiary_rate', 'township_gini', 'township_range', 'concentration_index', 'subsidized_gap', 'catastrophic_rate'];
const CHILD_IDS = ['enrollees', 'participation_rate', 'payouts_total', 'beneficiary_rate', 'catastrophic_rate', 'subsidized_share'];

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'equity', async ({ filters, platform }) => {
    const { year } = filters;
    const scope = scopeOf(filters);
    const [now, children] = await Promise.all([
      platform.read((c) => readIndicators(c, { year, grain: scope.grain, units: scope.units, ids: IDS })),
      scope.childGrain ? platform.read((c) => readIndicators(c, { year, grain: scope.childGrain!, within: scope.within, ids: CHILD_IDS })) : null,
    ]);
    const row = now.rows[0];
    if (!row) return { empty: true as const, year };
    const lorenz = await platform.read((c) => readLorenz(c, { year, code: String(row.division_code) }));
    return { empty: false as const, year, scope, unit: row, children: children?.rows ?? [], lorenz };
  });
