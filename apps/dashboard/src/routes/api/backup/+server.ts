/**
 * POST /api/backup `{ out, keep? }` (administrators; `ncms backup` while the server owns the
 * database): a consistent backup into a new folder under `out` on the server's machine.
 */
import type { RequestHandler } from './$types';
import { isAbsolute } from 'node:path';
import { json } from '@sveltejs/kit';
import { pruneBackups } from '@ncms/platform';
import { api } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { audit } from '$lib/server/audit-log';
import { checkRequestedFolder } from '$lib/server/allowed-folders';

export const POST: RequestHandler = api(async (event) => {
  const body = (await event.request.json().catch(() => ({}))) as { out?: unknown; keep?: unknown };
  if (typeof body.out !== 'string' || !isAbsolute(body.out)) throw new ParamError('out', 'out 应为备份文件夹的绝对路径 (an absolute folder path)');
  await checkRequestedFolder(event, 'out', body.out);
  const keep = body.keep === undefined || body.keep === null ? undefined : Number(body.keep);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) throw new ParamError('keep', 'keep 应为正整数');
  const b = await event.locals.platform.backup(body.out);
  const removed = keep ? await pruneBackups(body.out, keep) : [];
  await audit(event, 'backup', b.dir);
  const counts = Object.values(b.manifest.tables);
  return json({ dir: b.dir, tables: counts.length, rows: counts.reduce((s, n) => s + n, 0), removed });
});
