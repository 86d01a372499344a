/** The indicator and series API's reading of a request and its answer (JSON or Arrow). */
import { json } from '@sveltejs/kit';
import { indicatorArrow, indicatorTable, type IndicatorRequest } from '@ncms/platform';
import { apiFilters, arrowResponse, readGrain, readIds, readSourceBody, tableHeaders, wantsArrow } from './api';

/** The request /api/indicators and /api/series read from the query string and body. */
export async function indicatorRequest(url: URL, request: Request): Promise<IndicatorRequest> {
  const f = apiFilters(url);
  return {
    year: f.year,
    by: readGrain(url),
    township: f.village ?? f.township,
    ids: readIds(url),
    period: url.searchParams.get('period') || undefined,
    fresh: url.searchParams.get('fresh') === '1',
    ...(await readSourceBody(request)),
  };
}

export async function answer(req: IndicatorRequest, locals: App.Locals, request: Request): Promise<Response> {
  if (wantsArrow(request) && req.series !== 'lorenz') {
    const { table, notes } = await indicatorArrow(locals.platform, req);
    return arrowResponse(table, tableHeaders(table.schema.fields.map((f) => f.name), notes));
  }
  const t = await indicatorTable(locals.platform, req);
  return json(t.rows, { headers: tableHeaders(t.columns, t.notes) });
}

