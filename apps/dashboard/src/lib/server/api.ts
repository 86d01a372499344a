/**
 * What every `/api/…` route shares (spec/api.md): the request's parameters read and checked, the
 * answer as JSON or, when asked with `Accept: application/vnd.apache.arrow.stream`, as Arrow IPC,
 * and errors as `{ error, code }` — a bad parameter names itself, a failure never shows a stack.
 */
import { json, type RequestEvent } from '@sveltejs/kit';
import { NotPreparedError, PolicyFileError, QueryError, isAnalyticsMissing, parsePolicyText, type PolicyFile } from '@ncms/analytics';
import type { SourceOptions } from '@ncms/platform';
import { GRAIN, type Grain } from '@ncms/rules';
import { ParamError, readFilters } from './filters';
import { log } from './log';
import { StorageError } from '@ncms/warehouse';
import { preparingMessage } from '../preparing';
import { FileWorkError } from './files/off-loop';

export const ARROW = 'application/vnd.apache.arrow.stream';

/** An answer the route chose to give as an error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorResponse(status: number, code: string, message: string, param?: string): Response {
  return json({ error: message, code, ...(param ? { param } : {}) }, { status });
}

/** Runs an API handler; known failures become their JSON answer, unknown ones a logged 500. */
export function api<E extends RequestEvent>(fn: (event: E) => Promise<Response>): (event: E) => Promise<Response> {
  return async (event) => {
    try {
      return await fn(event);
    } catch (e) {
      if (e instanceof ParamError || e instanceof QueryError) return errorResponse(400, 'bad_param', e.message, e.param);
      if (e instanceof PolicyFileError) return errorResponse(400, 'bad_param', e.message, 'policy');
      if (e instanceof NotPreparedError || isAnalyticsMissing(e)) {
        const response = errorResponse(503, 'unavailable', preparingMessage(event.locals.platform?.refreshing() ?? null));
        response.headers.set('Retry-After', '30');
        return response;
      }
      if (e instanceof ApiError) return errorResponse(e.status, e.code, e.message);
      if (e instanceof FileWorkError) return errorResponse(413, 'too_large', e.message);
      if (e instanceof StorageError) return errorResponse(503, 'unavailable', e.message);
      log.error({ requestId: event.locals.requestId, method: event.request.method, path: event.url.pathname, err: e }, '接口处理失败 (API failure)');
      return errorResponse(500, 'internal', '服务器处理出错，请稍后再试或联系管理员 (server error)');
    }
  };
}

/** The filters of the query string, the year required (an API call names its year). */
export function apiFilters(url: URL) {
  if (!url.searchParams.get('year')) throw new ParamError('year', 'year 为必填参数，如 year=2006 (year is required)');
  return readFilters(url, []);
}

export function readGrain(url: URL, fallback: Grain = 'township'): Grain {
  const by = url.searchParams.get('by') || fallback;
  if (!GRAIN.has(by)) throw new ParamError('by', `by 应为 ${GRAIN.codes.join('、')} 之一 (got "${by}")`);
  return by as Grain;
}

export function readIds(url: URL): string[] | undefined {
  const ids = url.searchParams.get('ids');
  return ids ? ids.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

export function readInt(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ParamError(name, `${name} 应为 ${min} 到 ${max} 的整数 (got "${raw}")`);
  return n;
}

export function readEnum<T extends string>(url: URL, name: string, values: readonly T[], fallback?: T): T | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!values.includes(raw as T)) throw new ParamError(name, `${name} 应为 ${values.join('、')} 之一 (got "${raw}")`);
  return raw as T;
}

/**
 * The source options of a POST body: `{ policy_text, policy_path, opening_balance }` (what the
 * command line sends for `--policy` and `--opening-balance`), validated as the command line would.
 */
export async function readSourceBody(request: Request): Promise<SourceOptions & { policy?: PolicyFile }> {
  if (request.method !== 'POST') return {};
  let body: { policy_text?: unknown; policy_path?: unknown; opening_balance?: unknown };
  try {
    body = (await request.json()) as typeof body;
  } catch {
    throw new ParamError('body', '请求体应为 JSON (the body must be JSON)');
  }
  const out: SourceOptions = {};
  if (body.policy_text !== undefined) {
    if (typeof body.policy_text !== 'string') throw new ParamError('policy_text', 'policy_text 应为政策文件的文本 (the policy file as text)');
    out.policy = parsePolicyText(body.policy_text, typeof body.policy_path === 'string' ? body.policy_path : '上传的政策');
  }
  if (body.opening_balance !== undefined && body.opening_balance !== null) {
    const v = String(body.opening_balance);
    if (!/^-?\d+(\.\d{1,2})?$/.test(v)) throw new ParamError('opening_balance', `opening_balance 应为以元计、最多两位小数的金额 (got "${v}")`);
    out.openingBalance = v;
  }
  return out;
}

export const wantsArrow = (request: Request): boolean => (request.headers.get('accept') ?? '').includes(ARROW);

/** The headers that carry a table's column order and notes beside a JSON array. */
export function tableHeaders(columns: readonly string[], notes: readonly string[]): Record<string, string> {
  return { 'x-ncms-columns': columns.join(','), 'x-ncms-notes': encodeURIComponent(JSON.stringify(notes)) };
}
