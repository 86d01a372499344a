import type { PageServerLoad } from './$types';
import { buildReport, periodLabel, reportBodyHtml, REPORT_CSS } from '@ncms/reports';
import { parsePeriod } from '@ncms/analytics';
import { figuresPage } from '$lib/server/page';
import { ParamError } from '$lib/server/filters';

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'reports', async ({ filters, years, platform }) => {
    const period = event.url.searchParams.get('period') || String(filters.year);
    try {
      parsePeriod(period, filters.year);
    } catch (e) {
      throw new ParamError('period', (e as Error).message);
    }
    const report = await platform.read((conn) => buildReport(conn, { year: filters.year, period, township: filters.township }));
    return {
      empty: false as const,
      year: filters.year,
      years,
      period,
      periodText: periodLabel(period),
      township: filters.township ?? null,
      html: reportBodyHtml(report),
      css: REPORT_CSS,
      version: report.dataVersion,
    };
  });
