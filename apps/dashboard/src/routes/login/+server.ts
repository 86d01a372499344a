/**
 * POST /login from a script (a request that does not ask for HTML; a browser's form goes to the
 * page's action): the same fields and checks, answered with the redirect and the session cookie,
 * or 401 / 429 as JSON. GET without `Accept: text/html` (curl, a health probe) gets the page's
 * form all the same: SvelteKit sends such a GET here rather than to the page.
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { signIn } from '$lib/server/sign-in';

export const GET: RequestHandler = async (event) => {
  const page = await event.fetch(event.url, { headers: { accept: 'text/html' }, redirect: 'manual' });
  return new Response(page.body, { status: page.status, headers: page.headers });
};

export const POST: RequestHandler = async (event) => {
  const r = await signIn(event);
  if (!r.ok) return json({ error: r.message, code: r.code }, { status: r.status });
  return new Response(null, { status: 303, headers: { location: r.to } });
};
