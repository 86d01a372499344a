import type { PageServerLoad } from './$types';
import { figuresPage } from '$lib/server/page';
import { readIndicators, readMonthly } from '@ncms/analytics';
import { WARNING } from '@ncms/rules';
import { policyFor } from '$lib/server/policy';
import { scopeOf } from '$lib/server/scope';
import type { Platform } from '@ncms/platform';

const KPIS = [
  'agricultural_population', 'enrollees', 'participation_rate', 'funds_raised', 'payouts_total', 'surplus_rate', 'allocated_funds', 'allocated_utilization',
  'beneficiary_rate', 'in_county_rate', 'inpatient_stays', 'warnings',
];

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'overview', async ({ filters, platform }) => {
    const { year } = filters;
    const scope = scopeOf(filters);
    const unit = { grain: scope.grain, units: scope.units };
    const [now, before, ranking, months, policy, standing] = await Promise.all([
      platform.read((c) => readIndicators(c, { year, ...unit, ids: KPIS })),
      platform.read((c) => readIndicators(c, { year: year - 1, ...unit, ids: KPIS })),
      scope.childGrain ? platform.read((c) => readIndicators(c, { year, grain: scope.childGrain!, within: scope.within, ids: ['participation_rate', 'enrollees', 'gap_to_target'] })) : null,
      platform.read((c) => readMonthly(c, { year, ...unit, ids: ['payouts_total', 'inpatient_stays'] })),
      policyFor(platform, year),
      scope.grain === 'township' ? countyStanding(platform, year, filters.township!) : null,
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
      standing,
    };
  });

/**
 * Where a township stands in the county by participation rate: its place and the county's rate,
 * and no other township's name or figure (a township officer sees only their own township).
 */
async function countyStanding(platform: Platform, year: number, township: string): Promise<{ rank: number; of: number; countyRate: number | null } | null> {
  const [towns, county] = await Promise.all([
    platform.read((c) => readIndicators(c, { year, grain: 'township', ids: ['participation_rate'] })),
    platform.read((c) => readIndicators(c, { year, grain: 'county', ids: ['participation_rate'] })),
  ]);
  const rates = towns.rows.map((r) => ({ code: r.division_code, rate: r.participation_rate as number | null })).filter((r) => r.rate !== null);
  const own = rates.find((r) => r.code === township);
  if (!own) return null;
  // Tied townships share a place: one more than the number doing better.
  const rank = rates.filter((r) => r.rate! > own.rate!).length + 1;
  return { rank, of: rates.length, countyRate: (county.rows[0]?.participation_rate as number | null) ?? null };
}
