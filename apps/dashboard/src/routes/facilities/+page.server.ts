import type { PageServerLoad } from './$types';
import { figuresPage } from '$lib/server/page';
import { readIndicators } from '@ncms/analytics';
import { FACILITY_INDICATORS } from '@ncms/rules';
import { policyFor } from '$lib/server/policy';

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'facilities', async ({ filters, platform }) => {
    const { year } = filters;
    // a township narrows the figures to its enrolees' care, wherever they were treated
    const [facilities, policy] = await Promise.all([
      platform.read((c) => readIndicators(c, { year, grain: 'facility', within: filters.township, ids: FACILITY_INDICATORS.map((i) => i.id) })),
      policyFor(platform, year),
    ]);
    if (!facilities.rows.length) return { empty: true as const, year };
    return { empty: false as const, year, township: filters.township, rows: facilities.rows, targets: policy?.policy.targets ?? {} };
  });
