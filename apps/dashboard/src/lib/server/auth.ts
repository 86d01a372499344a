/**
 * Who is asking: a browser session (cookie), the local command line (the token `ncms serve`
 * writes into its state note, readable only by whoever can read the database's folder), or the
 * demo's automatic administrator (loopback only, and only for a page asked for by the name
 * localhost, 127.0.0.1 or [::1]). Then whether they may open the route.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { can, currentUser, SessionStore, SignInThrottle, type Principal, type Role } from '@ncms/access';
import type { Platform } from '@ncms/platform';
import { ROUTE_RULES } from './access-rules';

export const SESSION_COOKIE = 'ncms_session';

interface AuthSlot {
  sessions: SessionStore;
  throttle: SignInThrottle;
  /** Accounts as read at a session's first request; forgotten whenever the account changes. */
  accounts: Map<string, Omit<Principal, 'via'>>;
}
const KEY = Symbol.for('ncms.auth');
/** One session store per server process (kept across a dev-server reload). */
export const auth = ((globalThis as Record<symbol, unknown>)[KEY] ??= { sessions: new SessionStore(), throttle: new SignInThrottle(), accounts: new Map() }) as AuthSlot;

/**
 * An account changed (disabled, password set): its sessions end and its remembered row is
 * dropped, so the change holds from the next request on.
 */
export function forgetAccount(username: string): void {
  auth.sessions.endAll(username);
  auth.accounts.delete(username);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string {
  try {
    return event.getClientAddress();
  } catch {
    return 'unknown';
  }
}

function localToken(request: Request): boolean {
  const want = process.env.NCMS_LOCAL_TOKEN;
  const got = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!want || !got || got.length !== want.length) return false;
  return timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

export const isDemo = () => process.env.NCMS_DEMO === '1';

/**
 * The names the demo answers as administrator (any port). A page of another site whose name was
 * rebound to 127.0.0.1 (DNS rebinding) still sends its own name as Host, and is asked to sign in.
 */
const DEMO_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The Host header's name without its port, lower case; undefined when it is not a plain host. */
export function hostName(host: string | null): string | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(host ?? '');
  return m?.[1]!.toLowerCase();
}

const demoVisitor = (event: RequestEvent) => isDemo() && LOOPBACK.test(clientAddress(event)) && DEMO_HOSTS.has(hostName(event.request.headers.get('host')) ?? '');

export async function principalOf(event: RequestEvent, platform: Platform | undefined): Promise<Principal | undefined> {
  if (localToken(event.request)) return { username: 'ncms-cli', role: 'admin', via: 'cli' };
  const username = auth.sessions.use(event.cookies.get(SESSION_COOKIE));
  if (username && platform) {
    // Read once per account, not on every request; every change of an account forgets it.
    let u = auth.accounts.get(username);
    if (!u) {
      u = await platform.read((conn) => currentUser(conn, username));
      if (u) auth.accounts.set(username, u);
    }
    if (u) return { ...u, via: 'session' };
    forgetAccount(username);
  }
  if (demoVisitor(event)) return { username: 'demo', role: 'admin', via: 'demo' };
  return undefined;
}

export type Decision = { ok: true } | { ok: false; status: 401 | 403; code: 'unauthenticated' | 'forbidden'; message: string };

/** May this principal open this route with this method? */
export function decide(routeId: string | null, method: string, p: Principal | undefined): Decision {
  const rule = routeId ? ROUTE_RULES[routeId] : undefined;
  if (rule && 'open' in rule) return { ok: true };
  if (!p) return { ok: false, status: 401, code: 'unauthenticated', message: '请先登录 (sign in first)' };
  // A route without a rule (or an unknown path) is the administrator's alone.
  const roles: 'all' | readonly Role[] = rule ? rule.roles : routeId ? ['admin'] : 'all';
  if (roles !== 'all' && !roles.includes(p.role)) return { ok: false, status: 403, code: 'forbidden', message: `您的角色无权使用此功能 (${p.role}: forbidden)` };
  const post = rule && 'post' in rule ? rule.post : undefined;
  if (method !== 'GET' && method !== 'HEAD' && post && !can(p, post)) return { ok: false, status: 403, code: 'forbidden', message: '您的角色无权执行此操作 (forbidden)' };
  return { ok: true };
}

/** Signs in: a new session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS). */
export function startSession(cookies: Cookies, username: string, secure: boolean): void {
  cookies.set(SESSION_COOKIE, auth.sessions.create(username), { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function endSession(cookies: Cookies): void {
  auth.sessions.end(cookies.get(SESSION_COOKIE));
  cookies.delete(SESSION_COOKIE, { path: '/' });
}
