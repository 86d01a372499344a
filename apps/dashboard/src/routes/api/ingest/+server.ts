/**
 * POST /api/ingest `{ dir, retry_rejected }`: the server loads a source folder (the command line's
 * `ncms ingest` while the server owns the database), answering with its progress as JSON lines.
 */
import type { RequestHandler } from './$types';
import { isAbsolute } from 'node:path';
import { stat } from 'node:fs/promises';
import { ingestWithEvents } from '@ncms/platform';
import { api } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { ndjsonJob } from '$lib/server/ndjson';
import { audit } from '$lib/server/audit-log';
import { checkRequestedFolder } from '$lib/server/allowed-folders';

export const POST: RequestHandler = api(async (event) => {
  const { request, locals } = event;
  const body = (await request.json().catch(() => ({}))) as { dir?: unknown; retry_rejected?: unknown };
  if (typeof body.dir !== 'string' || !isAbsolute(body.dir)) throw new ParamError('dir', 'dir 应为数据目录的绝对路径 (an absolute folder path)');
  await checkRequestedFolder(event, 'dir', body.dir);
  if (!(await stat(body.dir).catch(() => null))?.isDirectory()) throw new ParamError('dir', `数据目录不存在或不是目录 (not a directory): ${body.dir}`);
  const dir = body.dir;
  await audit(event, 'ingest', dir);
  return ndjsonJob(
    (emit) => ingestWithEvents(locals.platform, dir, { retryRejected: body.retry_rejected === true, trigger: 'api' }, emit),
    (e) => e.message,
  );
});
