/**
 * POST /api/query `{ sql, limit }` (spec/api.md): the analyst console. The SQL runs in the
 * sandbox process over the masked analyst snapshot; a statement that is not a read answers 400
 * `refused`, past the time limit 400 `timeout`, a SQL error 400 `sql_error` with DuckDB's message.
 */
import type { RequestHandler } from './$types';
import { SHOWN_ROWS } from '@ncms/lake';
import { api } from '$lib/server/api';
import { answerBody, readQueryBody, runAnalystSql } from '$lib/server/analyst';
import { audit } from '$lib/server/audit-log';

export const POST: RequestHandler = api(async (event) => {
  const { request, locals } = event;
  const { sql, limit } = await readQueryBody(request);
  await audit(event, 'sql_query', sql);
  // The sandbox's JSON text as it is (at most 50 MB), streamed a part at a time: never joined, parsed or re-serialised here.
  return new Response(answerBody(await runAnalystSql(locals.platform, sql, Math.min(limit, SHOWN_ROWS))), { headers: { 'content-type': 'application/json' } });
});
