/**
 * POST /login from a script (a request that does not ask for HTML; a browser's form goes to the
 * page's action): the same fields and checks, answered with the redirect and the session cookie,
 * or 401 / 429 as JSON.
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { signIn } from '$lib/server/sign-in';

export const POST: RequestHandler = async (event) => {
  const r = await signIn(event);
  if (!r.ok) return json({ error: r.message, code: r.code }, { status: r.status });
  return new Response(null, { status: 303, headers: { location: r.to } });
};
