import type { PageServerLoad } from './$types';
import { AUDIT_ACTIONS, readAuditLog } from '@ncms/access';
import { ParamError } from '$lib/server/filters';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PAGE = 100;

export const load: PageServerLoad = async ({ url, locals }) => {
  const q = {
    username: url.searchParams.get('user') || undefined,
    action: url.searchParams.get('action') || undefined,
    from: url.searchParams.get('from') || undefined,
    to: url.searchParams.get('to') || undefined,
    offset: Math.max(0, Number(url.searchParams.get('offset')) || 0),
  };
  if (q.action && !(q.action in AUDIT_ACTIONS)) throw new ParamError('action', `未知的操作 ${q.action}`);
  for (const k of ['from', 'to'] as const) if (q[k] && !DAY.test(q[k]!)) throw new ParamError(k, `${k} 应为 YYYY-MM-DD`);
  const log = await locals.platform.read((conn) => readAuditLog(conn, { ...q, limit: PAGE }));
  return { ...log, query: q, page: PAGE, actions: Object.entries(AUDIT_ACTIONS).map(([code, zh]) => ({ code, zh })) };
};
