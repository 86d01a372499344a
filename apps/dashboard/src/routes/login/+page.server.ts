import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { safeNext, signIn } from '$lib/server/sign-in';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.principal?.via === 'session') redirect(303, safeNext(url.searchParams.get('next'), url.origin));
  return { next: safeNext(url.searchParams.get('next'), url.origin) };
};

export const actions: Actions = {
  default: async (event) => {
    const r = await signIn(event);
    if (!r.ok) return fail(r.status, { username: r.username, message: r.message });
    redirect(303, r.to);
  },
};
