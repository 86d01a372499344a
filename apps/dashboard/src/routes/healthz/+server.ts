import type { RequestHandler } from './$types';
import { currentPlatform } from '$lib/server/platform';

/** 200 `ok` when the database can be read, 503 otherwise; nothing else (spec/api.md). */
export const GET: RequestHandler = async () => {
  const platform = currentPlatform();
  try {
    if (!platform) throw new Error('not open');
    await platform.read((c) => c.run('SELECT 1'));
    return new Response('ok', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
  } catch {
    return new Response('unavailable', { status: 503, headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
  }
};
