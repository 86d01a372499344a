/** The indicator and series API's reading of a request and its answer (JSON or Arrow). */
import { indicatorArrow, indicatorTable, type IndicatorRequest } from '@ncms/platform';
import { tableToIPC } from 'apache-arrow';
import { ARROW, apiFilters, readGrain, readIds, readSourceBody, tableHeaders, wantsArrow } from './api';
import { remember } from './data';

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

export async function answer(req: IndicatorRequest, locals: App.Locals, request: Request, url: URL): Promise<Response> {
  const arrow = wantsArrow(request) && req.series !== 'lorenz' && req.series !== 'insurer';
  // The county's numbers from the analytics tables are the same until the next load: each
  // question is answered once per change (a policy or balance in the body is computed every time).
  const prepared = request.method === 'GET' && !req.fresh;
  const read = async () => {
    if (arrow) {
      const { table, notes } = await indicatorArrow(locals.platform, req);
      return { body: tableToIPC(table, 'stream'), headers: { 'content-type': ARROW, ...tableHeaders(table.schema.fields.map((f) => f.name), notes) } };
    }
    const t = await indicatorTable(locals.platform, req);
    return { body: JSON.stringify(t.rows), headers: { 'content-type': 'application/json', ...tableHeaders(t.columns, t.notes) } };
  };
  const { body, headers } = prepared ? await remember(locals.platform, `api:${url.pathname}:${arrow ? 'arrow' : 'json'}`, url, read) : await read();
  return new Response(body as unknown as BodyInit, { headers });
}

