import type { RequestHandler } from './$types';
import { currentPlatform } from '$lib/server/platform';

const TEXT = { 'content-type': 'text/plain', 'cache-control': 'no-store' };

/**
 * 200 `ok` when the database can be read, 503 otherwise; nothing else (spec/api.md).
 * `?ready` asks more: 200 `ok` only once no load or refresh is waiting or under way (the one the
 * server starts with included), else 503 `preparing` — what scripts and tests wait on before they
 * look at figures, instead of sleeping.
 */
export const GET: RequestHandler = async ({ url }) => {
  const platform = currentPlatform();
  try {
    if (!platform) throw new Error('not open');
    await platform.read((c) => c.run('SELECT 1'));
  } catch {
    return new Response('unavailable', { status: 503, headers: TEXT });
  }
  if (url.searchParams.has('ready') && !platform.settled()) return new Response('preparing', { status: 503, headers: { ...TEXT, 'retry-after': '1' } });
  return new Response('ok', { headers: TEXT });
};
