/**
 * The audit log (migration 014): who did what and when — sign-ins and failures, exports, report
 * downloads and sign-offs, SQL queries, account changes. Append-only: nothing here updates or
 * deletes. Details never carry a password or an unmasked ID number: an ID typed into SQL or a
 * path is masked here, on the way in, whoever logs it.
 */
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import { maskIdNumbers } from './scope.ts';

export const AUDIT_ACTIONS = {
  login: '登录',
  login_failed: '登录失败',
  logout: '退出',
  password_changed: '修改密码',
  user_added: '新增账号',
  user_disabled: '停用账号',
  user_enabled: '启用账号',
  password_reset: '重置密码',
  sql_query: 'SQL 查询',
  export: '导出',
  report_download: '下载报告',
  report_signoff: '报告审核/上报',
  audit_review: '审核发现复核',
  ingest: '载入数据',
  lake_export: '湖仓导出',
  backup: '备份',
  query_saved: '保存查询',
  query_removed: '删除已存查询',
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export interface AuditEntry {
  username?: string | null;
  action: AuditAction;
  detail?: string;
  address?: string;
  requestId?: string;
}

export async function logEvent(conn: DuckDBConnection, e: AuditEntry): Promise<void> {
  await conn.run('INSERT INTO audit_log (username, action, detail, address, request_id) VALUES ($1, $2, $3, $4, $5)', [
    e.username ?? null, e.action, e.detail === undefined ? null : maskIdNumbers(e.detail).slice(0, 2000), e.address ?? null, e.requestId ?? null,
  ]);
}

export interface AuditLogRow {
  id: number;
  at: string;
  username: string | null;
  action: AuditAction;
  detail: string | null;
  address: string | null;
}

/** Newest first, filtered by account, action and day range (`YYYY-MM-DD`, Beijing time). */
export async function readAuditLog(
  conn: DuckDBConnection,
  q: { username?: string; action?: string; from?: string; to?: string; offset?: number; limit?: number } = {},
): Promise<{ total: number; rows: AuditLogRow[] }> {
  const filters: [string | undefined, string, string][] = [
    [q.username, 'username', 'username = $username'],
    [q.action, 'action', 'action = $action'],
    [q.from, 'from', `(logged_at AT TIME ZONE 'Asia/Shanghai')::DATE >= $from::DATE`],
    [q.to, 'to', `(logged_at AT TIME ZONE 'Asia/Shanghai')::DATE <= $to::DATE`],
  ];
  const used = filters.filter(([v]) => v);
  const where = ['true', ...used.map(([, , sql]) => sql)];
  const params: Record<string, string> = Object.fromEntries(used.map(([v, name]) => [name, v!]));
  const w = where.join(' AND ');
  const [{ total }] = (await rows<{ total: number }>(conn, `SELECT count(*)::INTEGER AS total FROM audit_log WHERE ${w}`, params)) as [{ total: number }];
  const list = await rows<AuditLogRow>(
    conn,
    `SELECT id::INTEGER AS id, strftime(logged_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S') AS "at", username, action, detail, address
     FROM audit_log WHERE ${w} ORDER BY id DESC LIMIT ${Math.min(Math.max(q.limit ?? 100, 1), 1000)} OFFSET ${Math.max(q.offset ?? 0, 0)}`,
    params,
  );
  return { total, rows: list };
}
