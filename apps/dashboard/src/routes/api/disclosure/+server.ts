/**
 * GET /api/disclosure?year=Y&village=CODE&month=YYYY-MM&format=pdf|html: the village's public
 * disclosure list (公示) of the month, names and ID numbers masked, as a PDF or a printable page.
 */
import type { RequestHandler } from './$types';
import { readDisclosure } from '@ncms/analytics';
import { disclosureHtml, disclosureTitle, htmlPdf } from '@ncms/reports';
import { api, apiFilters, readEnum } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';

export const GET: RequestHandler = api(async ({ url, locals }) => {
  const f = apiFilters(url);
  if (!f.village) throw new ParamError('village', 'village 为必填参数：12 位村区划代码');
  const month = url.searchParams.get('month');
  if (!month) throw new ParamError('month', 'month 为必填参数，如 month=2006-03');
  const format = readEnum(url, 'format', ['pdf', 'html'] as const, 'pdf') ?? 'pdf';
  const d = await locals.platform.read((conn) => readDisclosure(conn, { year: f.year, village: f.village!, month }));
  const html = disclosureHtml(d, new Date(), locals.platform.config.pipeline.timezone);
  if (format === 'html') return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  const name = `${disclosureTitle(d)}-${month}.pdf`;
  return new Response((await htmlPdf(html)) as unknown as BodyInit, {
    headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="disclosure.pdf"; filename*=UTF-8''${encodeURIComponent(name)}` },
  });
});
