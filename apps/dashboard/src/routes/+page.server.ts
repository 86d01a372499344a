import type { PageServerLoad } from './$types';
import { readIndicators, readMonthly } from '@ncms/analytics';
import { WARNING } from '@ncms/rules';
import { policyFor } from '$lib/server/policy';

const KPIS = ['agricultural_population', 'enrollees', 'participation_rate', 'funds_raised', 'payouts_total', 'surplus_rate', 'beneficiary_rate', 'in_county_rate', 'inpatient_stays', 'warnings'];

export const load: PageServerLoad = async ({ locals, parent }) => {
  const { available, filters } = await parent();
  if (!available) return { empty: true as const };
  const { year, township } = filters;
  const unit = township ? { grain: 'township' as const, units: [township] } : { grain: 'county' as const };
  const p = locals.platform;
  const [now, before, ranking, months, policy] = await Promise.all([
    p.read((c) => readIndicators(c, { year, ...unit, ids: KPIS })),
    p.read((c) => readIndicators(c, { year: year - 1, ...unit, ids: KPIS })),
    p.read((c) => readIndicators(c, { year, grain: 'township', within: township, ids: ['participation_rate', 'enrollees', 'gap_to_target'] })),
    p.read((c) => readMonthly(c, { year, ...unit, ids: ['payouts_total', 'inpatient_stays'] })),
    policyFor(p, year),
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
    ranking: ranking.rows,
    months: months.rows,
  };
};
