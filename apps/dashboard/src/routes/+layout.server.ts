import type { LayoutServerLoad } from './$types';
import { pageContext, preparedYears } from '$lib/server/data';
import { pageFilters } from '$lib/server/filters';

export const load: LayoutServerLoad = async ({ locals, url }) => {
  if (!locals.platform) return { available: false as const };
  const years = await preparedYears(locals.platform);
  const filters = pageFilters(url, years);
  const context = await pageContext(locals.platform, filters.year);
  return { available: true as const, filters, ...context };
};
