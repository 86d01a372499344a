/** POST /api/export/xlsx with a page's table (`{ title, columns, rows }`): the table as an Excel workbook. */
import type { RequestHandler } from './$types';
import { api } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { readTableBody, tableToXlsx } from '$lib/server/xlsx';

export const POST: RequestHandler = api(async ({ request }) => {
  const table = readTableBody(await request.json().catch(() => null));
  if (!table) throw new ParamError('body', '请求体应为表格：{ title, columns: [{ key, label, unit }], rows: [...] }');
  const file = await tableToXlsx(table);
  return new Response(file as unknown as BodyInit, {
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="table.xlsx"; filename*=UTF-8''${encodeURIComponent(table.title)}.xlsx`,
    },
  });
});
