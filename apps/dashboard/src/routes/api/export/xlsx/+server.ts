/**
 * POST /api/export/xlsx with a page's table (`{ title, columns, rows }`): the table as an Excel
 * workbook, built in the file worker. At most 20,000 rows and 200 columns (and the 1 MB of any
 * JSON body): past a cap 413 `too_large`.
 */
import type { RequestHandler } from './$types';
import { api } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { ApiError } from '$lib/server/api';
import { readTableBody, TooLargeRowsError } from '$lib/server/xlsx';
import { offLoop } from '$lib/server/files/off-loop';

export const POST: RequestHandler = api(async ({ request }) => {
  let table;
  try {
    table = readTableBody(await request.json().catch(() => null));
  } catch (e) {
    if (e instanceof TooLargeRowsError) throw new ApiError(413, 'too_large', e.message);
    throw e;
  }
  if (!table) throw new ParamError('body', '请求体应为表格：{ title, columns: [{ key, label, unit }], rows: [...] }');
  const file = await offLoop({ op: 'table-xlsx', table });
  return new Response(file as unknown as BodyInit, {
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="table.xlsx"; filename*=UTF-8''${encodeURIComponent(table.title)}.xlsx`,
    },
  });
});
