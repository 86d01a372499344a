/**
 * Headers of the app's answers (the server adds the base ones — nosniff, frame and referrer
 * policy, HSTS — to every answer at the Node level; they are set here too for the dev server):
 * `no-store` on whatever a signed-in account is answered (pages, figures, lists with names and
 * IDs, exports: none of it may stay in a shared browser's or proxy's cache), and a strict CSP on
 * the HTML documents the API writes itself (the printable report, the 公示 list), which have no
 * script at all.
 */
import type { RequestEvent } from '@sveltejs/kit';

export const DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function setAnswerHeaders(event: RequestEvent, response: Response): Response {
  const h = response.headers;
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('X-Frame-Options', 'DENY');
  h.set('Referrer-Policy', 'same-origin');
  h.set('X-Request-Id', event.locals.requestId);
  if (event.locals.principal && !h.has('cache-control')) h.set('Cache-Control', 'no-store');
  if (event.url.pathname.startsWith('/api/') && /^text\/html/.test(h.get('content-type') ?? '') && !h.has('content-security-policy')) h.set('Content-Security-Policy', DOCUMENT_CSP);
  return response;
}

/**
 * A write (any method but GET/HEAD/OPTIONS) sent by a page of another site: refused whatever its
 * content type — SvelteKit checks forms only, so a bodiless `POST /logout` or a JSON POST would
 * pass. A script that sends no Origin and no `Sec-Fetch-Site` is not a browser and passes (its
 * session cookie or token is its credential).
 */
export function crossSiteWrite(event: RequestEvent): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(event.request.method)) return false;
  const origin = event.request.headers.get('origin');
  if (origin !== null) return origin !== event.url.origin;
  const site = event.request.headers.get('sec-fetch-site');
  return site !== null && site !== 'same-origin' && site !== 'none';
}
