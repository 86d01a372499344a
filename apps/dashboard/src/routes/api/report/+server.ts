/**
 * GET /api/report?year=Y[&period=…][&township=CODE][&date=YYYY-MM-DD]&format=pdf|docx|xlsx|html: the inspection
 * report of `ncms report`, as a download (html: the printable page).
 */
import type { RequestHandler } from './$types';
import { buildReport, renderReport, reportHtml, REPORT_FORMATS, REPORT_TYPES, periodLabel } from '@ncms/reports';
import { api, apiFilters, ApiError, readEnum } from '$lib/server/api';

export const GET: RequestHandler = api(async ({ url, locals }) => {
  const f = apiFilters(url);
  const format = readEnum(url, 'format', [...REPORT_FORMATS, 'html'] as const, 'pdf') ?? 'pdf';
  const period = url.searchParams.get('period') || undefined;
  const date = url.searchParams.get('date') || undefined;
  if (date !== undefined && !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) throw new ApiError(400, 'bad_date', `date 应为 YYYY-MM-DD，例如 2007-01-15 (got "${date}")`);
  const report = await locals.platform.read((conn) => buildReport(conn, { year: f.year, period, township: f.township }, new Date(), { timezone: locals.platform.config.pipeline.timezone, date }));
  if (format === 'html') return new Response(reportHtml(report), { headers: { 'content-type': 'text/html; charset=utf-8' } });
  const name = `${report.title}${periodLabel(report.period)}${report.township ? report.township.name : ''}.${format}`;
  return new Response((await renderReport(report, format)) as unknown as BodyInit, {
    headers: { 'content-type': REPORT_TYPES[format], 'content-disposition': `attachment; filename="report.${format}"; filename*=UTF-8''${encodeURIComponent(name)}` },
  });
});
