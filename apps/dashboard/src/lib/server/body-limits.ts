/**
 * Request bodies are read with their limit before anything parses them (spec/api.md, "Limits and
 * object scope"): a form or a JSON body at most 1 MB; an extract upload (the data-quality page's
 * upload box) is streamed to disk by its own action up to the configured size. Past a limit the
 * answer is 413 `too_large` naming the limit — JSON under /api, a short page otherwise — and
 * nothing of the body is held in memory beyond the limit.
 *
 * The adapter's own BODY_SIZE_LIMIT stays off (`ncms serve` sets it to Infinity): it is one limit
 * for every route and refuses in English before this hook could answer.
 */
import { json, type RequestEvent } from '@sveltejs/kit';

/** Forms and JSON bodies. */
export const FORM_BODY_LIMIT = 1024 * 1024;
/** Routes (page actions) whose body is an upload their handler streams to disk. */
export const UPLOAD_ROUTES: ReadonlySet<string> = new Set(['/quality']);
/** What a multipart upload may carry besides its file (boundaries, the kind field, headers). */
export const MULTIPART_SLACK = 64 * 1024;

const MB = 1024 * 1024;
/** A limit as the office reads it: "1 MB", "512 MB". */
export const limitText = (bytes: number): string => (bytes >= MB && bytes % MB === 0 ? `${bytes / MB} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} 字节`);

export const tooLargeMessage = (limit: number, what = '请求内容'): string => `${what}超过 ${limitText(limit)} 的上限，已拒绝 (too large: limit ${limitText(limit)})`;

/** A body (or an uploaded file) past its limit. */
export class TooLargeError extends Error {
  constructor(
    readonly limit: number,
    what?: string,
  ) {
    super(tooLargeMessage(limit, what));
    this.name = 'TooLargeError';
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The 413 answer: JSON for the API, a short page for a browser. The rest of the body stays
 * unread: the request is left paused (Node's request timeout ends the connection). Closing the
 * connection instead would reset it while the client still sends, and the client would lose the
 * answer.
 */
export function tooLarge(event: RequestEvent, e: TooLargeError): Response {
  if (event.url.pathname.startsWith('/api/')) return json({ error: e.message, code: 'too_large', limit_bytes: e.limit }, { status: 413 });
  const page = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>413 · 县级医保数据平台</title></head><body><main><h1>请求未能完成（413）</h1><p>${escapeHtml(e.message)}</p><p><a href="/">返回总览</a></p></main></body></html>`;
  return new Response(page, { status: 413, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/** Reads a web stream into memory, refusing it as soon as it passes `limit` bytes. */
async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not cancelled: that would destroy the socket before the 413 is sent. The rest stays unread.
      reader.releaseLock();
      throw new TooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Applies the route's body limit to `event.request`: a declared length past it is refused at
 * once; a body without a declared length is read here up to the limit (and handed on as read).
 * Returns the 413 answer, or undefined when the request may go on.
 */
export async function limitBody(event: RequestEvent, uploadLimit: number): Promise<Response | undefined> {
  const request = event.request;
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return undefined;
  const upload = UPLOAD_ROUTES.has(event.route.id ?? '');
  const limit = upload ? uploadLimit + MULTIPART_SLACK : FORM_BODY_LIMIT;
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return tooLarge(event, new TooLargeError(upload ? uploadLimit : FORM_BODY_LIMIT));
  // An upload is streamed and counted by its action; a declared length is enforced by Node's parser.
  if (upload || declared !== null) return undefined;
  try {
    const body = await readLimited(request.body, limit);
    event.request = new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
  } catch (e) {
    if (e instanceof TooLargeError) return tooLarge(event, e);
    throw e;
  }
  return undefined;
}
