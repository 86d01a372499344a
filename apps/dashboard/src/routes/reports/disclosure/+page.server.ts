import type { PageServerLoad } from './$types';
import { QueryError, readDisclosure, readIndicators } from '@ncms/analytics';
import { disclosureBodyHtml, DISCLOSURE_CSS } from '@ncms/reports';
import { figuresPage } from '$lib/server/page';
import { ParamError } from '$lib/server/filters';

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'disclosure', async ({ filters, years, platform }) => {
    const month = event.url.searchParams.get('month') || `${filters.year}-01`;
    const villages = filters.township
      ? (await platform.read((conn) => readIndicators(conn, { year: filters.year, grain: 'village', within: filters.township, ids: ['enrollees'] }))).rows.map((r) => ({ code: String(r.division_code), name: String(r.name ?? r.division_code) }))
      : [];
    const village = filters.village ?? villages[0]?.code;
    let html: string | null = null;
    let stays = 0;
    if (village) {
      try {
        const d = await platform.read((conn) => readDisclosure(conn, { year: filters.year, village, month }));
        html = disclosureBodyHtml(d, new Date(), platform.config.pipeline.timezone);
        stays = d.totals.stays;
      } catch (e) {
        if (e instanceof QueryError) throw new ParamError(e.param, e.message);
        throw e;
      }
    }
    return { empty: false as const, year: filters.year, years, township: filters.township ?? null, villages, village: village ?? null, month, html, stays, css: DISCLOSURE_CSS };
  });
