/**
 * /favicon.ico, which browsers ask for on pages that name no icon (the standalone error page,
 * a PDF viewer, a bookmark): the app's mark (static/favicon.svg) as a 32×32 ICO. Served from a
 * route because the static file server knows no type for `.ico` and would send it untyped.
 */
import type { RequestHandler } from './$types';
import icon from '$lib/assets/favicon.ico?inline';

const bytes = Buffer.from(icon.slice(icon.indexOf(',') + 1), 'base64');

export const GET: RequestHandler = () =>
  new Response(bytes, { headers: { 'content-type': 'image/x-icon', 'cache-control': 'public, max-age=86400' } });
