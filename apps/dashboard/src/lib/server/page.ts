/**
 * What every page with figures does first: nothing to show (the page says what to do next) when
 * the server has no database or the year has no analytics tables; otherwise its reads, remembered
 * until the data changes.
 */
import type { Platform } from '@ncms/platform';
import type { Filters } from '$lib/types';
import { remember } from './data';
import { pageParamError } from './filters';

interface Layout {
  available: boolean;
  prepared: boolean;
  filters?: Filters;
  years?: number[];
}

export interface PageContext {
  filters: Filters;
  years: number[];
  platform: Platform;
}

export async function figuresPage<T>(
  event: { parent: () => Promise<Layout>; locals: App.Locals; url: URL },
  scope: string,
  read: (ctx: PageContext) => Promise<T>,
): Promise<T | { empty: true; year: number | undefined }> {
  const { available, prepared, filters, years } = await event.parent();
  if (!available || !prepared || !filters) return { empty: true, year: filters?.year };
  const platform = event.locals.platform;
  // A parameter the page's own reads find bad (a period, an indicator) is a 400 page naming it.
  return remember(platform, scope, event.url, () => read({ filters, years: years ?? [], platform })).catch(pageParamError);
}
