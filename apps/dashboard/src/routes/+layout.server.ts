import type { LayoutServerLoad } from './$types';
import { pageContext, preparedYears, remember, unitName } from '$lib/server/data';
import { pageFilters } from '$lib/server/filters';
import { catalogueLabels } from '$lib/server/catalogue';
import { policyFor } from '$lib/server/policy';
import { largePayoutThresholds } from '@ncms/rules';
import { can, roleZh, type Principal } from '@ncms/access/roles';
import type { Platform } from '@ncms/platform';
import { isDemo } from '$lib/server/auth';

/** Why the database takes no writes, for an administrator in full (the others are told only that it does not). */
function readOnlyNotice(platform: Platform, p: Principal): string | null {
  const cause = platform.readOnly;
  if (!cause) return null;
  return can(p, 'administer') ? cause.message : '请联系管理员。';
}

export const load: LayoutServerLoad = async ({ locals, url }) => {
  const p = locals.principal;
  // The signed-in user as the top bar shows them (the sign-in page has none).
  const user = p ? { username: p.username, role: p.role, roleZh: roleZh(p.role), township: p.township ?? null, via: p.via } : null;
  // The demo banner says the visitor was signed in automatically: only for that sign-in, not for a real account.
  const demo = isDemo() && p?.via === 'demo';
  if (!locals.platform || !user)
    return { available: false as const, unavailable: !locals.platform, prepared: false, labels: catalogueLabels(), user, demo, filters: undefined, years: undefined, townships: undefined, refreshing: null, readOnly: null };
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
  // A township officer chooses among their own township only.
  const townships = p!.township ? context.townships.filter((t) => t.code === p!.township) : context.townships;
  return { available: true as const, filters, labels: catalogueLabels(thresholds), ...context, townships, user, demo, refreshing: platform.refreshing(), readOnly: readOnlyNotice(platform, p!) };
};
