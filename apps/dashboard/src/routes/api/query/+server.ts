/**
 * POST /api/query `{ sql, limit }` (spec/api.md): the analyst console. The SQL runs in the
 * sandbox process over the masked analyst snapshot; a statement that is not a read answers 400
 * `refused`, past the time limit 400 `timeout`, a SQL error 400 `sql_error` with DuckDB's message.
 */
import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { SandboxError, SHOWN_ROWS } from '@ncms/lake';
import { api, errorResponse } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { analystSandbox } from '$lib/server/analyst';

export const POST: RequestHandler = api(async ({ request, locals }) => {
  const body = (await request.json().catch(() => null)) as { sql?: unknown; limit?: unknown } | null;
  if (!body || typeof body.sql !== 'string' || !body.sql.trim()) throw new ParamError('sql', '请求体应为 { "sql": "SELECT …", "limit": 1000 }');
  if (body.sql.length > 100_000) throw new ParamError('sql', 'SQL 过长（最多 100,000 个字符）');
  const limit = body.limit === undefined ? 1000 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ParamError('limit', `limit 应为 1 到 ${SHOWN_ROWS} 的整数`);
  const sandbox = await analystSandbox(locals.platform);
  try {
    return json(await sandbox.query(body.sql, Math.min(limit, SHOWN_ROWS)));
  } catch (e) {
    if (e instanceof SandboxError) return errorResponse(400, e.code === 'too_large' ? 'sql_error' : e.code, e.message);
    throw e;
  }
});
