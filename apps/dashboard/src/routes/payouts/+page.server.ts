import type { PageServerLoad } from './$types';
import { figuresPage } from '$lib/server/page';
import { readIndicators, readMonthly, readTopDiagnoses } from '@ncms/analytics';
import { policyFor } from '$lib/server/policy';
import { scopeCode, scopeOf } from '$lib/server/scope';

const IDS = [
  'payouts_total', 'inpatient_stays', 'inpatient_rate', 'inpatient_cost', 'inpatient_payout', 'inpatient_actual_ratio', 'inpatient_eligible_ratio',
  'avg_inpatient_cost', 'avg_inpatient_payout', 'avg_length_of_stay', 'outpatient_visits', 'outpatient_payout', 'outpatient_ratio',
  'beneficiaries', 'beneficiary_rate', 'in_county_rate', 'referral_rate', 'drug_share', 'payout_by_level', 'large_payouts',
];
const CHILD_IDS = ['payouts_total', 'inpatient_stays', 'inpatient_rate', 'inpatient_actual_ratio', 'avg_inpatient_cost', 'beneficiary_rate', 'in_county_rate'];

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'payouts', async ({ filters, platform }) => {
    const { year } = filters;
    const scope = scopeOf(filters);
    const [now, before, months, children, diagnoses, policy] = await Promise.all([
      platform.read((c) => readIndicators(c, { year, grain: scope.grain, units: scope.units, ids: IDS })),
      platform.read((c) => readIndicators(c, { year: year - 1, grain: scope.grain, units: scope.units, ids: IDS })),
      platform.read((c) => readMonthly(c, { year, grain: scope.grain, units: scope.units, ids: ['payouts_total', 'inpatient_payout', 'outpatient_payout', 'inpatient_stays'] })),
      scope.childGrain ? platform.read((c) => readIndicators(c, { year, grain: scope.childGrain!, within: scope.within, ids: CHILD_IDS })) : null,
      platform.read((c) => readTopDiagnoses(c, { year, within: scopeCode(filters), limit: 10 })),
      policyFor(platform, year),
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
