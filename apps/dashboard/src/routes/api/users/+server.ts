/**
 * The accounts, for `ncms user` while the server owns the database (administrators only; the
 * command line signs in with the server's local token). GET lists them; POST `{ op, username,
 * role?, township?, password?, temporary? }` with op add | disable | enable | passwd changes one
 * (`temporary`: the user must change the password at first sign-in).
 */
import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { AccountError, addUser, listUsers, setDisabled, setPassword, type AuditAction } from '@ncms/access';
import { api, ApiError } from '$lib/server/api';
import { forgetAccount } from '$lib/server/auth';
import { audit } from '$lib/server/audit-log';

export const GET: RequestHandler = api(async ({ locals }) => json(await locals.platform.read(listUsers)));

export const POST: RequestHandler = api(async (event) => {
  const b = (await event.request.json().catch(() => ({}))) as { op?: string; username?: string; role?: string; township?: string; password?: string; temporary?: boolean };
  const temporary = b.temporary === true;
  const username = String(b.username ?? '');
  const ops: Record<string, [AuditAction, (c: Parameters<typeof listUsers>[0]) => Promise<void>]> = {
    add: ['user_added', (c) => addUser(c, { username, role: String(b.role ?? ''), township: b.township, password: String(b.password ?? ''), mustChange: temporary })],
    disable: ['user_disabled', (c) => setDisabled(c, username, true)],
    enable: ['user_enabled', (c) => setDisabled(c, username, false)],
    passwd: ['password_reset', (c) => setPassword(c, username, String(b.password ?? ''), temporary)],
  };
  const op = ops[String(b.op)];
  if (!op) throw new ApiError(400, 'bad_param', `op 应为 ${Object.keys(ops).join('、')} 之一`);
  try {
    await event.locals.platform.record(op[1]);
  } catch (e) {
    if (e instanceof AccountError) return json({ error: e.message, code: 'bad_param', param: e.field }, { status: 400 });
    throw e;
  }
  forgetAccount(username);
  await audit(event, op[0], `${username}${b.role ? ` (${b.role}${b.township ? ` ${b.township}` : ''})` : ''}`);
  return json({ ok: true });
});
