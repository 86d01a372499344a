/**
 * GET /api/audit?year=Y[&township=CODE][&facility=CODE][&offset=N&limit=N][&sort=…]: `{ total,
 * rows }`, a page of the audit, personal data masked unless the signed-in role may see it
 * (auditor, administrator; the command line's output stays masked). POST with a policy body (the command line's
 * `ncms audit --policy`) answers the whole listing under that policy with the year's summary.
 */
import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { auditListing } from '@ncms/platform';
import { api, apiFilters, readEnum, readInt, readSourceBody } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { remember } from '$lib/server/data';
import { can } from '@ncms/access';

const SORTS = ['difference', '-difference', 'discharge'] as const;

const handler: RequestHandler = api(async ({ url, request, locals }) => {
  const f = apiFilters(url);
  const facility = url.searchParams.get('facility') || undefined;
  if (facility !== undefined && !/^[0-9A-Za-z_-]{1,32}$/.test(facility)) throw new ParamError('facility', `facility 应为机构编码 (got "${facility}")`);
  const whole = request.method === 'POST' && url.searchParams.get('limit') === 'all';
  const source = await readSourceBody(request);
  const personalData = can(locals.principal, 'personalData') && locals.principal?.via === 'session';
  const read = (withSummary = true) => auditListing(locals.platform, {
    withSummary,
    personalData,
    year: f.year,
    township: f.village ?? f.township,
    facility,
    offset: whole ? 0 : readInt(url, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    limit: whole ? 'all' : readInt(url, 'limit', 100, 1, 1000),
    sort: readEnum(url, 'sort', SORTS, '-difference'),
    ...source,
  });
  if (request.method === 'POST') return json(await read());
  // The county's audit is the same until the next load: each page of it is read once per change.
  const listing = await remember(locals.platform, personalData ? 'api:audit:personal' : 'api:audit', url, () => read(false));
  return json({ total: listing.total, rows: listing.rows });
});
export const GET = handler;
export const POST = handler;
