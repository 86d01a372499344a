/**
 * The review (复核) of the audit rules' findings: 待复核 → 确认违规 (amount to recover) / 排除
 * (reason) → 已追回 (amount, date; partial recoveries add up). Decisions are events in their own
 * table (migration 018), never in the loaded data or the analytics tables, so a reload, a
 * correction of the claim or a refresh keeps them; each records the signed-in account and time.
 */
import { fen, yuan } from '@ncms/rules';
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import { QueryError } from '../query/errors.ts';
import { ANALYTICS_TABLES } from '../prepare/refresh.ts';

export type ReviewAction = 'confirm' | 'dismiss' | 'recover';
export const REVIEW_ACTIONS: readonly ReviewAction[] = ['confirm', 'dismiss', 'recover'];

/**
 * Every reviewed finding's state, as SQL (year, code, claim_id, state, to_recover, recovered,
 * recovered_on, reason, reviewed_by, reviewed_at, claim_changed). A finding with no event is
 * 待复核 and has no row here.
 */
export const REVIEW_STATE_SQL = `
  SELECT r.year, r.code, r.claim_id,
    CASE WHEN r.decision IS NULL THEN 'pending' WHEN r.decision = 'dismiss' THEN 'dismissed'
         WHEN r.recovered >= r.to_recover THEN 'recovered' ELSE 'confirmed' END AS state,
    r.to_recover, r.recovered, r.recovered_on, r.reason, r.reviewed_by, r.reviewed_at,
    -- the claim was corrected (or removed) by a later load after the last decision
    c.row_hash IS DISTINCT FROM r.claim_hash AS claim_changed
  FROM (
    SELECT year, code, claim_id,
      arg_max(action, id) FILTER (action IN ('confirm', 'dismiss')) AS decision,
      arg_max(amount, id) FILTER (action = 'confirm') AS to_recover,
      arg_max(reason, id) FILTER (action = 'dismiss') AS reason,
      CAST(coalesce(sum(amount) FILTER (action = 'recover'), 0) AS DECIMAL(18,2)) AS recovered,
      max(recovered_on) AS recovered_on,
      arg_max(by_account, id) AS reviewed_by,
      strftime(max(reviewed_at) AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S') AS reviewed_at,
      arg_max(claim_hash, id) AS claim_hash
    FROM audit_review GROUP BY year, code, claim_id
  ) r
  LEFT JOIN claims c ON c.claim_id = r.claim_id`;

export interface ReviewRequest {
  year: number;
  code: string;
  claim_id: string;
  action: ReviewAction;
  /** confirm: the amount to recover (default the amount at stake, never below 0); recover: the amount recovered. */
  amount?: string;
  /** dismiss: why the finding is not a breach. */
  reason?: string;
  /** recover: the date the money came back (YYYY-MM-DD). */
  recovered_on?: string;
  /** The signed-in account. */
  by: string;
}

export interface ReviewStatus {
  state: 'pending' | 'confirmed' | 'dismissed' | 'recovered';
  to_recover: string | null;
  recovered: string;
}

const money = (name: string, v: string | undefined): bigint | undefined => {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(v.trim())) throw new QueryError(name, `${name} 应为金额（元，最多 2 位小数，不为负），如 120.50 (got "${v}")`);
  return fen(v.trim());
};

/** Records one decision on a finding of the year's list, checked against its state; returns the new state. */
export async function recordReview(conn: DuckDBConnection, r: ReviewRequest): Promise<ReviewStatus> {
  if (!REVIEW_ACTIONS.includes(r.action)) throw new QueryError('action', `action 应为 ${REVIEW_ACTIONS.join('、')} 之一 (got "${r.action}")`);
  if (!r.by) throw new QueryError('by', '复核需要登录账号 (a signed-in account is required)');
  const amount = money('amount', r.amount);
  await conn.run('BEGIN TRANSACTION');
  try {
    const [finding] = await rows<{ at_stake: string }>(
      conn,
      `SELECT amount_at_stake::VARCHAR AS at_stake FROM ${ANALYTICS_TABLES.audit_rules} WHERE year = $1 AND code = $2 AND claim_id = $3`,
      [r.year, r.code, r.claim_id],
    );
    if (!finding) throw new QueryError('claim_id', `${r.year} 年没有结算 ${r.claim_id} 的审核发现 ${r.code} (no such finding)`);
    const now = await status(conn, r);
    const row: { amount: bigint | null; reason: string | null; date: string | null } = { amount: null, reason: null, date: null };
    if (r.action === 'confirm' || r.action === 'dismiss') {
      if (now.state !== 'pending') throw new QueryError('action', `该发现已复核为「${STATE_ZH[now.state]}」，不能再${r.action === 'confirm' ? '确认' : '排除'} (already reviewed)`);
      if (r.action === 'confirm') {
        const atStake = fen(finding.at_stake);
        row.amount = amount ?? (atStake > 0n ? atStake : 0n);
      } else {
        const reason = r.reason?.trim();
        if (!reason) throw new QueryError('reason', '排除需要写明理由 (a reason is required to dismiss)');
        if (reason.length > 500) throw new QueryError('reason', '理由不超过 500 字 (at most 500 characters)');
        row.reason = reason;
      }
    } else {
      if (now.state !== 'confirmed') throw new QueryError('action', `只有「确认违规」且未追回完的发现可以登记追回（现为「${STATE_ZH[now.state]}」） (only a confirmed finding can be recovered)`);
      if (amount === undefined || amount <= 0n) throw new QueryError('amount', '追回金额应大于 0 (amount must be greater than 0)');
      const left = fen(now.to_recover!) - fen(now.recovered);
      if (amount > left) throw new QueryError('amount', `追回金额 ${yuan(amount)} 元超过尚待追回的 ${yuan(left)} 元 (more than is left to recover)`);
      if (!r.recovered_on || !/^\d{4}-\d{2}-\d{2}$/.test(r.recovered_on) || Number.isNaN(Date.parse(r.recovered_on)))
        throw new QueryError('recovered_on', `追回日期应为 YYYY-MM-DD (got "${r.recovered_on ?? ''}")`);
      row.amount = amount;
      row.date = r.recovered_on;
    }
    await conn.run(
      `INSERT INTO audit_review (year, code, claim_id, action, amount, reason, recovered_on, by_account, claim_hash)
       VALUES ($1, $2, $3, $4, CAST($5 AS DECIMAL(18,2)), $6, CAST($7 AS DATE), $8, (SELECT row_hash FROM claims WHERE claim_id = $3))`,
      [r.year, r.code, r.claim_id, r.action, row.amount === null ? null : yuan(row.amount), row.reason, row.date, r.by],
    );
    const after = await status(conn, r);
    await conn.run('COMMIT');
    return after;
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}

const STATE_ZH: Record<ReviewStatus['state'], string> = { pending: '待复核', confirmed: '确认违规', dismissed: '排除', recovered: '已追回' };

async function status(conn: DuckDBConnection, k: { year: number; code: string; claim_id: string }): Promise<ReviewStatus> {
  const [s] = await rows<{ state: ReviewStatus['state']; to_recover: string | null; recovered: string }>(
    conn,
    `SELECT state, to_recover::VARCHAR AS to_recover, recovered::VARCHAR AS recovered FROM (${REVIEW_STATE_SQL}) WHERE year = $1 AND code = $2 AND claim_id = $3`,
    [k.year, k.code, k.claim_id],
  );
  return s ?? { state: 'pending', to_recover: null, recovered: '0.00' };
}

/** A finding's events, oldest first (the history a page shows beside it). */
export async function readReviewHistory(conn: DuckDBConnection, k: { year: number; code: string; claim_id: string }) {
  return rows<{ action: ReviewAction; amount: string | null; reason: string | null; recovered_on: string | null; by: string; at: string }>(
    conn,
    `SELECT action, amount::VARCHAR AS amount, reason, recovered_on::VARCHAR AS recovered_on, by_account AS "by",
            strftime(reviewed_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S') AS "at"
     FROM audit_review WHERE year = $1 AND code = $2 AND claim_id = $3 ORDER BY id`,
    [k.year, k.code, k.claim_id],
  );
}
