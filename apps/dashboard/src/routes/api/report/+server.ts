/**
 * GET /api/report?year=Y[&period=…][&township=CODE]&format=pdf|docx|xlsx|html: the inspection
 * report of `ncms report`, as a download (html: the printable page).
 */
import type { RequestHandler } from './$types';
import { buildReport, renderReport, reportHtml, REPORT_FORMATS, REPORT_TYPES, periodLabel } from '@ncms/reports';
import { api, apiFilters, readEnum } from '$lib/server/api';

export const GET: RequestHandler = api(async ({ url, locals }) => {
  const f = apiFilters(url);
  const format = readEnum(url, 'format', [...REPORT_FORMATS, 'html'] as const, 'pdf') ?? 'pdf';
  const period = url.searchParams.get('period') || undefined;
  const report = await locals.platform.read((conn) => buildReport(conn, { year: f.year, period, township: f.township }));
  if (format === 'html') return new Response(reportHtml(report), { headers: { 'content-type': 'text/html; charset=utf-8' } });
  const name = `${report.title}${periodLabel(report.period)}${report.township ? report.township.name : ''}.${format}`;
  return new Response((await renderReport(report, format)) as unknown as BodyInit, {
    headers: { 'content-type': REPORT_TYPES[format], 'content-disposition': `attachment; filename="report.${format}"; filename*=UTF-8''${encodeURIComponent(name)}` },
  });
});
