import type { LayoutServerLoad } from './$types';
import { pageContext, preparedYears, remember, unitName } from '$lib/server/data';
import { pageFilters } from '$lib/server/filters';
import { catalogueLabels } from '$lib/server/catalogue';
import { policyFor } from '$lib/server/policy';
import { largePayoutThresholds } from '@ncms/rules';

export const load: LayoutServerLoad = async ({ locals, url }) => {
  if (!locals.platform) return { available: false as const, prepared: false, labels: catalogueLabels() };
  const platform = locals.platform;
  const years = await platform.memo('layout:years', () => preparedYears(platform));
  const filters = pageFilters(url, years);
  const context = await remember(platform, 'layout', url, async () => {
    const c = await pageContext(platform, filters.year);
    // `prepared`: the year has analytics tables (pages with figures show what to do next otherwise).
    const prepared = c.years.includes(filters.year);
    const villageName = prepared && filters.village ? await unitName(platform, filters.year, filters.village) : null;
    return { ...c, prepared, villageName };
  });
  // the year's own large-payout thresholds label their columns
  const thresholds = largePayoutThresholds((await policyFor(platform, filters.year))?.policy);
  return { available: true as const, filters, labels: catalogueLabels(thresholds), ...context };
};
