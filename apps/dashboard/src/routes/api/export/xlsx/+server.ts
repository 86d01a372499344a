/**
 * POST /api/export/xlsx with a page's table (`{ title, columns, rows }`): the table as an Excel
 * workbook, read, checked and built in the file worker. At most 20,000 rows and 200 columns (and
 * the 1 MB of any JSON body): past a cap 413 `too_large`.
 */
import type { RequestHandler } from './$types';
import { api, ApiError } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { offLoop } from '$lib/server/files/off-loop';

export const POST: RequestHandler = api(async ({ request }) => {
  let built;
  try {
    built = await offLoop({ op: 'table-xlsx', body: await request.text() });
  } catch (e) {
    if ((e as Error).name === 'TooLargeRowsError') throw new ApiError(413, 'too_large', (e as Error).message);
    if ((e as Error).name === 'NotATableError') throw new ParamError('body', (e as Error).message);
    throw e;
  }
  return new Response(built.file as unknown as BodyInit, {
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="table.xlsx"; filename*=UTF-8''${encodeURIComponent(built.title)}.xlsx`,
    },
  });
});
