/** POST /api/refresh `{ full, verify }`: brings the analytics tables up to date (`ncms refresh`), progress as JSON lines. */
import type { RequestHandler } from './$types';
import { refreshWithEvents } from '@ncms/platform';
import { api } from '$lib/server/api';
import { ndjsonJob } from '$lib/server/ndjson';

export const POST: RequestHandler = api(async ({ request, locals }) => {
  const body = (await request.json().catch(() => ({}))) as { full?: unknown; verify?: unknown };
  return ndjsonJob((emit) => refreshWithEvents(locals.platform, { full: body.full === true, verify: body.verify === true }, emit), (e) => e.message);
});
