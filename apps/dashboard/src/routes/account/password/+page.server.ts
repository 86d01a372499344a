import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { AccountError, checkSignIn, setPassword } from '@ncms/access';
import { forgetAccount, startSession } from '$lib/server/auth';
import { audit } from '$lib/server/audit-log';
import { attemptSucceeded, throttled, tooMany } from '$lib/server/sign-in';

export const load: PageServerLoad = ({ locals }) => ({ username: locals.principal!.username, mustChange: locals.principal!.mustChange === true, via: locals.principal!.via });

export const actions: Actions = {
  default: async (event) => {
    const p = event.locals.principal!;
    if (p.via !== 'session') return fail(400, { message: '此账号不能在这里修改密码' });
    const form = await event.request.formData();
    const current = String(form.get('current') ?? '');
    const next = String(form.get('password') ?? '');
    if (next !== String(form.get('confirm') ?? '')) return fail(400, { message: '两次输入的新密码不一致' });
    if (next === current) return fail(400, { message: '新密码不能与原密码相同' });
    // The current password is a guess like a sign-in's: throttled the same way, counted before the hash.
    const wait = throttled(event, p.username);
    if (wait > 0) return fail(429, { message: tooMany(wait) });
    if (!(await event.locals.platform.read((conn) => checkSignIn(conn, p.username, current)))) {
      await audit(event, 'login_failed', `account: ${p.username}; 修改密码时原密码不正确`);
      return fail(401, { message: '原密码不正确' });
    }
    attemptSucceeded(event, p.username);
    try {
      await event.locals.platform.record((conn) => setPassword(conn, p.username, next));
    } catch (e) {
      if (e instanceof AccountError) return fail(400, { message: e.message });
      throw e;
    }
    // Every other session of the account ends; this one starts afresh.
    forgetAccount(p.username);
    startSession(event.cookies, p.username, event.url.protocol === 'https:');
    await audit(event, 'password_changed');
    redirect(303, '/');
  },
};
