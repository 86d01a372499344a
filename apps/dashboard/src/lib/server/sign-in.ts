/**
 * Signing in, for the form (a browser) and for a script posting the same fields: throttled per
 * account and per address (each attempt counted as it arrives, before its password is hashed),
 * every attempt logged, a new session cookie on success.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { checkSignIn } from '@ncms/access';
import { auth, clientAddress, startSession } from './auth';
import { audit } from './audit-log';

export type SignInResult = { ok: true; to: string } | { ok: false; status: 401 | 429; code: string; message: string; username: string };

/**
 * Where to go after signing in: a path of this server only. `next` is parsed as a URL against the
 * server's origin and followed only when it stays there; control characters (a tab or line break
 * that browsers drop, turning `/\t/evil.example` into `//evil.example`) and backslashes are refused,
 * and so is a path that would read as another host (`//…`).
 */
export function safeNext(raw: string | null, origin: string): string {
  // eslint-disable-next-line no-control-regex
  if (!raw || !raw.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin || url.pathname.startsWith('//')) return '/';
  return url.pathname + url.search + url.hash;
}

/** Seconds to wait, counted before the password is checked (a guess of the current password on the change form counts too). */
export const throttled = (event: RequestEvent, username: string): number => auth.throttle.attempt(username, clientAddress(event));

/** The password was right: the account's count is cleared and this attempt taken back. */
export const attemptSucceeded = (event: RequestEvent, username: string): void => auth.throttle.succeeded(username, clientAddress(event));

export const tooMany = (wait: number) => `尝试次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试 (too many attempts)`;

export async function signIn(event: RequestEvent): Promise<SignInResult> {
  const form = await event.request.formData().catch(() => new FormData());
  const username = String(form.get('username') ?? '').trim();
  const password = String(form.get('password') ?? '');
  // Counted now, before the hash: attempts sent together are counted one by one.
  const wait = throttled(event, username);
  if (wait > 0) {
    await audit(event, 'login_failed', `account: ${username.slice(0, 40)}; throttled`, null);
    return { ok: false, status: 429, code: 'too_many_attempts', username, message: tooMany(wait) };
  }
  const p = username && password ? await event.locals.platform.read((conn) => checkSignIn(conn, username, password)) : undefined;
  if (!p) {
    await audit(event, 'login_failed', `account: ${username.slice(0, 40)}`, null);
    return { ok: false, status: 401, code: 'unauthenticated', username, message: '用户名或密码不正确 (wrong username or password)' };
  }
  attemptSucceeded(event, username);
  startSession(event.cookies, p.username, event.url.protocol === 'https:');
  await audit(event, 'login', undefined, p.username);
  return { ok: true, to: p.mustChange ? '/account/password' : safeNext(event.url.searchParams.get('next'), event.url.origin) };
}
