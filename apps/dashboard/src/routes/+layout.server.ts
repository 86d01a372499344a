import type { LayoutServerLoad } from './$types';
import { pageContext, preparedYears, unitName } from '$lib/server/data';
import { pageFilters } from '$lib/server/filters';

export const load: LayoutServerLoad = async ({ locals, url }) => {
  if (!locals.platform) return { available: false as const, prepared: false };
  const years = await preparedYears(locals.platform);
  const filters = pageFilters(url, years);
  const context = await pageContext(locals.platform, filters.year);
  // `prepared`: the year has analytics tables (pages with figures show what to do next otherwise).
  const prepared = context.years.includes(filters.year);
  const villageName = prepared && filters.village ? await unitName(locals.platform, filters.year, filters.village) : null;
  return { available: true as const, prepared, filters, villageName, ...context };
};
