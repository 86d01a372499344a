/**
 * Every request passes here: the platform handed to routes, the principal found (session, local
 * command line, or the demo's administrator), the route's rule applied (401 / 403, or a redirect
 * to /login for pages), a township officer kept inside their township, downloads logged, and
 * security headers set.
 */
import { randomUUID } from 'node:crypto';
import { error, isHttpError, isRedirect, json, redirect, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { OutOfScopeError, scopeUnits } from '@ncms/access';
import { currentPlatform, startPlatform } from '$lib/server/platform';
import { decide, principalOf } from '$lib/server/auth';
import { audit, LOGGED_DOWNLOADS } from '$lib/server/audit-log';
import { log } from '$lib/server/log';
import { limitBody } from '$lib/server/body-limits';
import { startLoopDelayLog } from '$lib/server/loop-delay';
import { StorageError } from '@ncms/warehouse';
import { facilityOutOfScope } from '$lib/server/object-scope';
import { crossSiteWrite, setAnswerHeaders } from '$lib/server/answer-headers';

export const init: ServerInit = async () => {
  startLoopDelayLog();
  // A database that cannot be opened leaves the server up, answering 503 and saying so on its pages.
  await startPlatform().catch((e: Error) => log.error(`无法打开数据库 (cannot open the database): ${e.message}`));
};

/** Pages a user with a one-time password may open before changing it. */
const BEFORE_CHANGE = new Set(['/account/password', '/logout', '/login', '/healthz']);

function refuse(event: RequestEvent, status: 401 | 403, code: string, message: string): Response {
  if (event.url.pathname.startsWith('/api/')) return setAnswerHeaders(event, json({ error: message, code }, { status }));
  if (status === 401) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  error(status, { message, code });
}

export const handle: Handle = async ({ event, resolve }) => {
  const started = performance.now();
  event.locals.requestId = randomUUID();
  let status = 500;
  try {
    const response = await guard(event, resolve);
    status = response.status;
    return response;
  } catch (e) {
    // A redirect (to /login) or an error page thrown by the guard is an answer too.
    status = isRedirect(e) || isHttpError(e) ? e.status : 500;
    throw e;
  } finally {
    log.info({ requestId: event.locals.requestId, method: event.request.method, path: event.url.pathname, status, ms: Math.round(performance.now() - started), user: event.locals.principal?.username });
  }
};

async function guard(event: RequestEvent, resolve: Parameters<Handle>[0]['resolve']): Promise<Response> {
  const platform = currentPlatform();
  const api = event.url.pathname.startsWith('/api/');
  // Before anything reads the body (the sign-in form included, which needs no session); without
  // a database there is no source folder to upload into, so no upload either.
  const tooLarge = await limitBody(event, platform?.config.uploadLimitBytes ?? 0);
  if (tooLarge) return withHeaders(event, tooLarge);
  if (!platform) {
    if (api || event.url.pathname === '/healthz') return json({ error: '数据库尚不可用 (database not available)', code: 'unavailable' }, { status: 503 });
    // Without its database a page can show nothing but that (no accounts can be checked either).
    return withHeaders(event, new Response((await resolve(event)).body, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } }));
  }
  event.locals.platform = platform;

  const principal = await principalOf(event, platform);
  event.locals.principal = principal;
  // The command line's token is its own proof; any other write must come from this server's pages.
  if (principal?.via !== 'cli' && crossSiteWrite(event)) return refuse(event, 403, 'forbidden', '拒绝来自其他网站的提交 (cross-site request refused)');
  const decision = decide(event.route.id, event.request.method, principal);
  if (!decision.ok) return refuse(event, decision.status, decision.code, decision.message);
  if (principal?.mustChange && !BEFORE_CHANGE.has(event.route.id ?? '')) {
    if (api) return refuse(event, 403, 'forbidden', '请先登录网页修改一次性密码 (change the one-time password first)');
    redirect(303, '/account/password');
  }
  // A township officer: another township's or village's figures are refused, never shown empty.
  if (principal?.township) {
    try {
      scopeUnits(principal, { township: event.url.searchParams.get('township') || undefined, village: event.url.searchParams.get('village') || undefined });
    } catch (e) {
      if (e instanceof OutOfScopeError) return refuse(event, 403, 'out_of_scope', e.message);
      throw e;
    }
    const facility = event.url.searchParams.get('facility');
    const outside = facility ? await facilityOutOfScope(platform, principal, facility) : undefined;
    if (outside) return refuse(event, 403, 'out_of_scope', outside);
  }

  const response = await resolve(event);
  const download = event.route.id ? LOGGED_DOWNLOADS[event.route.id] : undefined;
  if (download && response.ok) await audit(event, download, `${event.request.method} ${event.url.pathname}${event.url.search}`);
  return withHeaders(event, response);
}

const withHeaders = setAnswerHeaders;

/** An unexpected failure: logged with its request id; the user sees a plain message, never a stack. */
export const handleError: HandleServerError = ({ error, event, status }) => {
  // A form whose write the disk refused: the page says why (the write was rolled back).
  if (error instanceof StorageError) return { message: error.message, code: 'unavailable' };
  // No route or file at the path (a browser asking for /favicon.ico, a mistyped address): an answer,
  // not a failure — the request's own log line has the 404.
  if (status === 404) return { message: '页面不存在 (not found)', code: 'not_found' };
  log.error({ requestId: event.locals.requestId, method: event.request.method, path: event.url.pathname, err: error }, '请求处理失败 (request failed)');
  return { message: '服务器处理出错，请稍后再试或联系管理员 (server error)', code: 'internal' };
};
