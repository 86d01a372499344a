/**
 * Signing in, for the form (a browser) and for a script posting the same fields: throttled per
 * account and per address, every attempt logged, a new session cookie on success.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { checkSignIn } from '@ncms/access';
import { auth, clientAddress, startSession } from './auth';
import { audit } from './audit-log';

export type SignInResult = { ok: true; to: string } | { ok: false; status: 401 | 429; code: string; message: string; username: string };

/** Where to go after signing in: a path of this site only (never another site's address). */
export const safeNext = (raw: string | null) => (raw && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') ? raw : '/');

export async function signIn(event: RequestEvent): Promise<SignInResult> {
  const form = await event.request.formData().catch(() => new FormData());
  const username = String(form.get('username') ?? '').trim();
  const password = String(form.get('password') ?? '');
  const address = clientAddress(event);
  const wait = auth.throttle.wait(username, address);
  if (wait > 0) {
    await audit(event, 'login_failed', `account: ${username.slice(0, 40)}; throttled`, null);
    return { ok: false, status: 429, code: 'too_many_attempts', username, message: `尝试次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试 (too many attempts)` };
  }
  const p = username && password ? await event.locals.platform.read((conn) => checkSignIn(conn, username, password)) : undefined;
  if (!p) {
    auth.throttle.failed(username, address);
    await audit(event, 'login_failed', `account: ${username.slice(0, 40)}`, null);
    return { ok: false, status: 401, code: 'unauthenticated', username, message: '用户名或密码不正确 (wrong username or password)' };
  }
  auth.throttle.succeeded(username);
  startSession(event.cookies, p.username, event.url.protocol === 'https:');
  await audit(event, 'login', undefined, p.username);
  return { ok: true, to: p.mustChange ? '/account/password' : safeNext(event.url.searchParams.get('next')) };
}
