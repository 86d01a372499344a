/**
 * Writes the audit log from the routes: who (the principal), what, from where, with the request
 * id. A failure to log is reported on the server's log and does not fail the user's request.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { logEvent, type AuditAction } from '@ncms/access';
import { clientAddress } from './auth';
import { log } from './log';

export async function audit(event: RequestEvent, action: AuditAction, detail?: string, username?: string | null): Promise<void> {
  const platform = event.locals.platform;
  if (!platform) return;
  try {
    await platform.record((conn) =>
      logEvent(conn, { username: username !== undefined ? username : (event.locals.principal?.username ?? null), action, detail, address: clientAddress(event), requestId: event.locals.requestId }),
    );
  } catch (e) {
    log.error({ requestId: event.locals.requestId, err: e }, '审计日志写入失败 (audit log write failed)');
  }
}

/** Downloads logged by the route they come from (GET requests that hand out data as a file). */
export const LOGGED_DOWNLOADS: Record<string, AuditAction> = {
  '/api/report': 'report_download',
  '/api/report/archive/[id]': 'report_download',
  '/api/disclosure': 'report_download',
  '/api/export/xlsx': 'export',
};
