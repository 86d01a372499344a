import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
  archivedReport, buildReport, periodLabel, reportBodyHtml, signoffView, signReport, SignoffRefused, ACTION_LABEL, REPORT_CSS,
  type ReportRequest, type SignoffAction,
} from '@ncms/reports';
import { parsePeriod } from '@ncms/analytics';
import { figuresPage } from '$lib/server/page';
import { audit } from '$lib/server/audit-log';
import { ParamError, readFilters } from '$lib/server/filters';
import { pageInScope } from '$lib/server/object-scope';

/** The report the page's query string asks for; the period defaults to the whole year. */
function reportRequest(url: URL, year: number, township: string | undefined): ReportRequest {
  const period = url.searchParams.get('period') || String(year);
  try {
    parsePeriod(period, year);
  } catch (e) {
    throw new ParamError('period', (e as Error).message);
  }
  return { year, period, ...(township ? { township } : {}) };
}

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'reports', async ({ filters, years, platform }) => {
    const req = reportRequest(event.url, filters.year, filters.township);
    const sentParam = event.url.searchParams.get('sent');
    if (sentParam !== null && !/^\d{1,12}$/.test(sentParam)) throw new ParamError('sent', `sent 应为上报记录编号 (got "${sentParam.slice(0, 40)}")`);
    const sentId = sentParam === null ? undefined : Number(sentParam);
    const { report, signoff, sent } = await platform.read(async (conn) => {
      const report = await buildReport(conn, req, new Date(), { timezone: platform.config.pipeline.timezone });
      const signoff = await signoffView(conn, req, report);
      // ?sent=ID shows a report exactly as it was sent, if it is one of this report's submissions
      // (the report of the query string, which the request hook has kept inside the officer's township).
      const found = sentId === undefined ? undefined : signoff.events.find((e) => e.id === sentId && e.action === 'submitted');
      const sentEvent = sentId === undefined ? undefined : pageInScope(event.locals.principal, found, () => event.locals.principal?.township, `报告的上报记录中没有编号 ${sentId} (no such submission of this report)`);
      const sent = sentEvent ? { event: sentEvent, report: (await archivedReport(conn, sentEvent.id))! } : undefined;
      return { report, signoff, sent };
    });
    return {
      empty: false as const,
      year: filters.year,
      years,
      period: req.period!,
      periodText: periodLabel(req.period!),
      township: filters.township ?? null,
      html: reportBodyHtml(sent?.report ?? report),
      css: REPORT_CSS,
      version: report.dataVersion,
      signoff,
      sent: sent?.event ?? null,
    };
  });

const ACTIONS = Object.keys(ACTION_LABEL) as SignoffAction[];

export const actions: Actions = {
  /** One sign-off step (审核, 撤销审核, 上报) for the report of the query string. */
  sign: async (event) => {
    const { request, url, locals } = event;
    const form = await request.formData();
    const action = String(form.get('action')) as SignoffAction;
    if (!ACTIONS.includes(action)) return fail(400, { message: `未知的操作 "${action}"` });
    let req: ReportRequest;
    try {
      const f = readFilters(url, []);
      req = reportRequest(url, f.year, f.township);
    } catch (e) {
      return fail(400, { message: (e as Error).message });
    }
    try {
      // A sign-off names the officer as written and the account signed in.
      const state = await locals.platform.write((conn) => signReport(conn, req, action, form.get('by'), locals.principal!.username, { timezone: locals.platform.config.pipeline.timezone }));
      await audit(event, 'report_signoff', `${action} ${req.year} ${req.period}${req.township ? ` ${req.township}` : ''}; 经办人 ${String(form.get('by') ?? '').trim()}（${locals.principal!.username}）`);
      return { done: `${ACTION_LABEL[action]}完成：${state.last ? `${state.last.by}，${state.last.at}` : '报告回到未审核状态'}` };
    } catch (e) {
      if (e instanceof SignoffRefused) return fail(409, { message: e.message });
      throw e;
    }
  },
};
