/**
 * Every request passes here: the one place where the platform is handed to routes, where access
 * control will be added (issue: accounts and roles), and where security headers are set.
 */
import { randomUUID } from 'node:crypto';
import { json, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { currentPlatform, startPlatform } from '$lib/server/platform';

export const init: ServerInit = async () => {
  // A database that cannot be opened leaves the server up, answering 503 and saying so on its pages.
  await startPlatform().catch((e: Error) => console.error(`无法打开数据库 (cannot open the database): ${e.message}`));
};

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.requestId = randomUUID();
  const platform = currentPlatform();
  if (!platform) {
    if (event.url.pathname.startsWith('/api/') || event.url.pathname === '/healthz')
      return json({ error: '数据库尚不可用 (database not available)', code: 'unavailable' }, { status: 503 });
  } else event.locals.platform = platform;
  let response = await resolve(event);
  // A page without its database still renders (it says what is wrong), as a 503.
  if (!platform && response.status === 200) response = new Response(response.body, { status: 503, headers: response.headers });
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('Referrer-Policy', 'same-origin');
  response.headers.set('X-Request-Id', event.locals.requestId);
  return response;
};

/** An unexpected failure: logged with its request id; the user sees a plain message, never a stack. */
export const handleError: HandleServerError = ({ error, event }) => {
  console.error(`[${event.locals.requestId ?? '-'}] ${event.request.method} ${event.url.pathname}: ${(error as Error)?.stack ?? error}`);
  return { message: '服务器处理出错，请稍后再试或联系管理员 (server error)', code: 'internal' };
};
