import type { PageServerLoad } from './$types';
import { AUDIT_ACTIONS, readAuditLog } from '@ncms/access';
import { pageParamError, ParamError, readDay } from '$lib/server/filters';

const PAGE = 100;

function logQuery(url: URL) {
  const q = {
    username: url.searchParams.get('user') || undefined,
    action: url.searchParams.get('action') || undefined,
    from: readDay(url, 'from'),
    to: readDay(url, 'to'),
    offset: Math.max(0, Number(url.searchParams.get('offset')) || 0),
  };
  if (q.action && !Object.hasOwn(AUDIT_ACTIONS, q.action)) throw new ParamError('action', `action：未知的操作 ${q.action.slice(0, 40)}`);
  return q;
}

export const load: PageServerLoad = async ({ url, locals }) => {
  let q: ReturnType<typeof logQuery>;
  try {
    q = logQuery(url);
  } catch (e) {
    pageParamError(e);
  }
  const log = await locals.platform.read((conn) => readAuditLog(conn, { ...q, limit: PAGE }));
  return { ...log, query: q, page: PAGE, actions: Object.entries(AUDIT_ACTIONS).map(([code, zh]) => ({ code, zh })) };
};
