/**
 * The analyst console's sandbox: one child process per server (kept on `globalThis` so a
 * dev-server reload does not start another), reading the platform's masked analyst snapshot and
 * told to re-read it when a load or refresh has changed it.
 */
import { AnalystSandbox, SandboxError, SHOWN_ROWS } from '@ncms/lake';
import type { Platform } from '@ncms/platform';
import { ApiError } from './api';
import { ParamError } from './filters';

const KEY = Symbol.for('ncms.analyst.sandbox');
type Slot = { sandbox?: AnalystSandbox; generation?: number };
const slot = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as Slot;

export async function analystSandbox(platform: Platform): Promise<AnalystSandbox> {
  const snap = await platform.analystSnapshot();
  if (!slot.sandbox) {
    slot.sandbox = new AnalystSandbox({ dir: snap.dir, timeoutMs: Number(process.env.NCMS_QUERY_TIMEOUT_MS ?? 30_000) });
    slot.generation = snap.generation;
    process.once('sveltekit:shutdown', () => slot.sandbox?.close());
  } else if (slot.generation !== snap.generation) {
    await slot.sandbox.reload();
    slot.generation = snap.generation;
  }
  return slot.sandbox;
}

/** The body of `POST /api/query` and its export: `{ sql, limit?, format? }`, checked. */
export async function readQueryBody(request: Request): Promise<{ sql: string; limit: number; format?: unknown }> {
  const body = (await request.json().catch(() => null)) as { sql?: unknown; limit?: unknown; format?: unknown } | null;
  if (!body || typeof body.sql !== 'string' || !body.sql.trim()) throw new ParamError('sql', '请求体应为 { "sql": "SELECT …", "limit": 1000 }');
  if (body.sql.length > 100_000) throw new ParamError('sql', 'SQL 过长（最多 100,000 个字符）');
  const limit = body.limit === undefined ? 1000 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ParamError('limit', `limit 应为 1 到 ${SHOWN_ROWS} 的整数`);
  return { sql: body.sql, limit, format: body.format };
}

/**
 * Runs analyst SQL in the sandbox; a refusal becomes its 400 answer (spec/api.md). The answer is
 * the JSON text of a `QueryAnswer` as the sandbox wrote it (at most ANSWER_BYTES), in parts of at
 * most 1 MB: streamed on, or handed to the file worker, never joined or parsed on the event loop.
 */
export async function runAnalystSql(platform: Platform, sql: string, limit: number, opts: { export?: boolean } = {}): Promise<string[]> {
  const sandbox = await analystSandbox(platform);
  try {
    return await sandbox.queryJson(sql, limit, opts);
  } catch (e) {
    if (e instanceof SandboxError) throw new ApiError(400, e.code === 'too_large' ? 'sql_error' : e.code, e.message);
    throw e;
  }
}

/** An answer's parts as a response body, each encoded only when the connection takes it. */
export function answerBody(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      if (next < parts.length) controller.enqueue(encoder.encode(parts[next++]!));
      else controller.close();
    },
  });
}
