/**
 * GET /api/report/archive/ID?format=pdf|docx|xlsx: a report file exactly as it was sent upward
 * (已上报), with the SHA-256 recorded when it was sent (header `x-content-sha256`). A township
 * officer opens only their township's reports (403 for another's, the county's or a missing id).
 */
import type { RequestHandler } from './$types';
import { periodLabel, readArchived, REPORT_FORMATS, REPORT_TYPES } from '@ncms/reports';
import { api, readEnum } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { inScope } from '$lib/server/object-scope';

export const GET: RequestHandler = api(async ({ params, url, locals }) => {
  if (!/^\d{1,12}$/.test(params.id)) throw new ParamError('id', `id 应为上报记录编号 (got "${params.id}")`);
  const format = readEnum(url, 'format', REPORT_FORMATS, 'pdf') ?? 'pdf';
  const found = await locals.platform.read((conn) => readArchived(conn, Number(params.id), format));
  const file = inScope(locals.principal, found, (f) => f.key.township, `没有编号为 ${params.id} 的上报存档 (no such archived report)`);
  const name = `已上报-${periodLabel(file.key.period)}${file.key.township ? `-${file.key.township}` : ''}-${file.at.slice(0, 10)}.${format}`;
  return new Response(file.bytes as unknown as BodyInit, {
    headers: {
      'content-type': REPORT_TYPES[format],
      'content-disposition': `attachment; filename="report.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'x-content-sha256': file.sha256,
    },
  });
});
