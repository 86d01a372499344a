/**
 * POST /api/query/export `{ sql, format: csv|xlsx|parquet|arrow }`: the result of analyst SQL
 * (the same sandbox and refusals as /api/query) as a file, up to 100,000 rows and 50 MB; the header
 * `x-truncated: true` says when the result had more.
 */
import type { RequestHandler } from './$types';
import { EXPORTED_ROWS } from '@ncms/lake';
import { api } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { readQueryBody, runAnalystSql } from '$lib/server/analyst';
import { audit } from '$lib/server/audit-log';
import { RESULT_EXTENSIONS, RESULT_FORMATS, RESULT_TYPES, resultFile, type ResultFormat } from '$lib/server/query-files';

export const POST: RequestHandler = api(async (event) => {
  const { request, locals } = event;
  const { sql, format } = await readQueryBody(request);
  if (!RESULT_FORMATS.includes(format as ResultFormat)) throw new ParamError('format', `format 应为 ${RESULT_FORMATS.join('、')} 之一`);
  const f = format as ResultFormat;
  await audit(event, 'export', `${f}: ${sql}`);
  const answer = await runAnalystSql(locals.platform, sql, EXPORTED_ROWS, { export: true });
  const { file, rows, truncated } = await resultFile(answer, f);
  return new Response(file as unknown as BodyInit, {
    headers: {
      'content-type': RESULT_TYPES[f],
      'content-disposition': `attachment; filename="query.${RESULT_EXTENSIONS[f]}"; filename*=UTF-8''${encodeURIComponent(`查询结果.${RESULT_EXTENSIONS[f]}`)}`,
      'x-truncated': String(truncated),
      'x-row-count': String(rows),
    },
  });
});
