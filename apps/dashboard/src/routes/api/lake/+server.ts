/**
 * POST /api/lake `{ out, mask, tables }`: the lake export of `ncms export` made by the server
 * while it owns the database (the command line sends it here), answering with its progress as
 * JSON lines and then the counts. `out` is a folder on the server's machine, as for /api/ingest.
 */
import type { RequestHandler } from './$types';
import { isAbsolute } from 'node:path';
import { exportLake, LAKE_TABLES } from '@ncms/lake';
import { api } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { ndjsonJob } from '$lib/server/ndjson';
import { audit } from '$lib/server/audit-log';
import { checkRequestedFolder } from '$lib/server/allowed-folders';

export const POST: RequestHandler = api(async (event) => {
  const { request, locals } = event;
  const body = (await request.json().catch(() => ({}))) as { out?: unknown; mask?: unknown; tables?: unknown };
  if (typeof body.out !== 'string' || !isAbsolute(body.out)) throw new ParamError('out', 'out 应为导出目录的绝对路径 (an absolute folder path)');
  await checkRequestedFolder(event, 'out', body.out);
  const tables = body.tables === undefined ? undefined : Array.isArray(body.tables) ? body.tables.map(String) : null;
  if (tables === null) throw new ParamError('tables', 'tables 应为表名数组');
  const unknown = tables?.filter((t) => !LAKE_TABLES.some((x) => x.name === t)) ?? [];
  if (unknown.length) throw new ParamError('tables', `没有这些表 (unknown tables): ${unknown.join(', ')}`);
  const out = body.out;
  await audit(event, 'lake_export', `${out}${body.mask === true ? ' (masked)' : ''}`);
  return ndjsonJob(
    async (emit) => {
      const r = await locals.platform.read((conn) => exportLake(conn, out, { mask: body.mask === true, tables, onProgress: (e) => emit({ kind: 'progress', ...e }) }));
      return { tables: r.manifest.tables.length, rows: r.manifest.tables.reduce((s, t) => s + t.rows, 0), written: r.written, kept: r.kept, removedFiles: r.removedFiles, seconds: r.seconds, masked: r.manifest.masked };
    },
    (e) => e.message,
  );
});
