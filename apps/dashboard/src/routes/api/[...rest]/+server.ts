/** Any other /api/… path or method: a JSON 404 (spec/api.md), never the HTML error page. */
import type { RequestHandler } from './$types';
import { errorResponse } from '$lib/server/api';

export const fallback: RequestHandler = ({ url, request }) =>
  errorResponse(404, 'not_found', `没有这个接口：${request.method} ${url.pathname}（可用：/api/indicators、/api/series、/api/audit、/api/query、/api/report、/api/disclosure、/api/simulate、/api/ingest、/api/refresh、/api/lake、/api/export/xlsx）`);
