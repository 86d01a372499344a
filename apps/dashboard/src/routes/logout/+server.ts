/** POST /logout: ends the session and returns to the sign-in page. */
import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { endSession } from '$lib/server/auth';
import { audit } from '$lib/server/audit-log';

export const POST: RequestHandler = async (event) => {
  await audit(event, 'logout');
  endSession(event.cookies);
  redirect(303, '/login');
};
