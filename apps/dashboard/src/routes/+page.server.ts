import type { PageServerLoad } from './$types';
import { figuresPage } from '$lib/server/page';
import { readIndicators, readMonthly } from '@ncms/analytics';
import { WARNING } from '@ncms/rules';
import { policyFor } from '$lib/server/policy';
import { scopeOf } from '$lib/server/scope';

const KPIS = [
  'agricultural_population', 'enrollees', 'participation_rate', 'funds_raised', 'payouts_total', 'surplus_rate', 'allocated_funds', 'allocated_utilization',
  'beneficiary_rate', 'in_county_rate', 'inpatient_stays', 'warnings',
];

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'overview', async ({ filters, platform }) => {
    const { year } = filters;
    const scope = scopeOf(filters);
    const unit = { grain: scope.grain, units: scope.units };
    const [now, before, ranking, months, policy] = await Promise.all([
      platform.read((c) => readIndicators(c, { year, ...unit, ids: KPIS })),
      platform.read((c) => readIndicators(c, { year: year - 1, ...unit, ids: KPIS })),
      scope.childGrain ? platform.read((c) => readIndicators(c, { year, grain: scope.childGrain!, within: scope.within, ids: ['participation_rate', 'enrollees', 'gap_to_target'] })) : null,
      platform.read((c) => readMonthly(c, { year, ...unit, ids: ['payouts_total', 'inpatient_stays'] })),
      policyFor(platform, year),
    ]);
    const row = now.rows[0];
    if (!row) return { empty: true as const, year };
    const warnings = ((row.warnings as string[] | null) ?? []).map((code) => ({ code, zh: WARNING.has(code) ? WARNING.zh(code) : code }));
    return {
      empty: false as const,
      year,
      unitName: row.name as string | null,
      now: row,
      before: before.rows[0] ?? null,
      targets: policy?.policy.targets ?? {},
      warnings,
      ranking: ranking?.rows ?? [],
      childLabel: scope.childGrain === 'village' ? '村' : '乡镇',
      months: months.rows,
    };
  });
