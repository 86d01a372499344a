import type { PageServerLoad } from './$types';
import { remember } from '$lib/server/data';
import { readIndicators, readMonthly, readTopDiagnoses } from '@ncms/analytics';
import { policyFor } from '$lib/server/policy';
import { scopeCode, scopeOf } from '$lib/server/scope';

const IDS = [
  'payouts_total', 'inpatient_stays', 'inpatient_rate', 'inpatient_cost', 'inpatient_payout', 'inpatient_actual_ratio', 'inpatient_eligible_ratio',
  'avg_inpatient_cost', 'avg_inpatient_payout', 'avg_length_of_stay', 'outpatient_visits', 'outpatient_payout', 'outpatient_ratio',
  'beneficiaries', 'beneficiary_rate', 'in_county_rate', 'referral_rate', 'drug_share', 'payout_by_level', 'large_payouts',
];
const CHILD_IDS = ['payouts_total', 'inpatient_stays', 'inpatient_rate', 'inpatient_actual_ratio', 'avg_inpatient_cost', 'beneficiary_rate', 'in_county_rate'];

export const load: PageServerLoad = async ({ locals, parent, url }) => {
  const { available, prepared, filters } = await parent();
  if (!available || !prepared) return { empty: true as const, year: available ? filters.year : undefined };
  return remember(locals.platform, 'payouts', url, async () => {
    const { year } = filters;
    const scope = scopeOf(filters);
    const p = locals.platform;
    const [now, before, months, children, diagnoses, policy] = await Promise.all([
      p.read((c) => readIndicators(c, { year, grain: scope.grain, units: scope.units, ids: IDS })),
      p.read((c) => readIndicators(c, { year: year - 1, grain: scope.grain, units: scope.units, ids: IDS })),
      p.read((c) => readMonthly(c, { year, grain: scope.grain, units: scope.units, ids: ['payouts_total', 'inpatient_payout', 'outpatient_payout', 'inpatient_stays'] })),
      scope.childGrain ? p.read((c) => readIndicators(c, { year, grain: scope.childGrain!, within: scope.within, ids: CHILD_IDS })) : null,
      p.read((c) => readTopDiagnoses(c, { year, within: scopeCode(filters), limit: 10 })),
      policyFor(p, year),
    ]);
    const row = now.rows[0];
    if (!row) return { empty: true as const, year };
    return {
      empty: false as const,
      year,
      scope,
      unit: row,
      before: before.rows[0] ?? null,
      months: months.rows,
      children: children?.rows ?? [],
      diagnoses,
      targets: policy?.policy.targets ?? {},
    };
  });
};
