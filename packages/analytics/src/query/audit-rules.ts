/**
 * The audit rules' findings as callers read them (the 审核 page's queue, `ncms audit --rules`,
 * `/api/audit/rules`): one row per flagged claim and code with the catalogue's name, the amount at
 * stake, the evidence and the review state, ranked by amount at stake; filtered by code,
 * facility, township (or village) and state; personal data masked unless the caller may see it.
 * Also the roll and fund rules' findings of the year.
 */
import { AUDIT_RULES, REVIEW_STATES, auditRuleByCode } from '@ncms/rules';
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import { QueryError } from './errors.ts';
import { PREPARED, type Source } from './indicators.ts';
import { REVIEW_STATE_SQL } from '../review/audit-review.ts';

export interface AuditRuleRow {
  code: string;
  zh: string;
  claim_id: string;
  person_id: string;
  name: string | null;
  facility_code: string;
  village_code: string | null;
  discharge_date: string;
  reimbursed: string;
  amount_at_stake: string;
  evidence: Record<string, unknown>;
  state: string;
  state_zh: string;
  to_recover: string | null;
  recovered: string;
  reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  claim_changed: boolean;
}

export interface AuditRulesQuery {
  year: number;
  code?: string;
  facility?: string;
  /** Only claims of enrolees of this township (or village: any division code prefix). */
  township?: string;
  state?: string;
  offset?: number;
  /** Rows per page: default 100, at most 1,000; 'all' for the whole list. */
  limit?: number | 'all';
  personalData?: boolean;
}

export const AUDIT_RULE_COLUMNS = ['code', 'zh', 'claim_id', 'person_id', 'name', 'facility_code', 'village_code', 'discharge_date', 'reimbursed', 'amount_at_stake', 'evidence', 'state', 'state_zh', 'to_recover', 'recovered', 'reason', 'reviewed_by', 'reviewed_at', 'claim_changed'] as const;

export async function readAuditRules(conn: DuckDBConnection, q: AuditRulesQuery, source: Source = PREPARED): Promise<{ total: number; rows: AuditRuleRow[] }> {
  const where = ['f.year = $year'];
  const params: Record<string, string | number> = { year: q.year };
  if (q.code !== undefined) {
    if (!auditRuleByCode(q.code)) throw new QueryError('code', `code 应为审核规则代码之一：${AUDIT_RULES.filter((r) => r.scope === 'claim').map((r) => r.code).join('、')} (got "${q.code}")`);
    where.push('f.code = $code');
    params.code = q.code;
  }
  if (q.facility) {
    where.push('f.facility_code = $facility');
    params.facility = q.facility;
  }
  if (q.township) {
    where.push('starts_with(f.village_code, $township)');
    params.township = q.township;
  }
  if (q.state !== undefined) {
    if (!REVIEW_STATES.some((s) => s.code === q.state)) throw new QueryError('state', `state 应为 ${REVIEW_STATES.map((s) => `${s.code}（${s.zh}）`).join('、')} 之一 (got "${q.state}")`);
    where.push(`coalesce(r.state, 'pending') = $state`);
    params.state = q.state;
  }
  const limit = q.limit ?? 100;
  if (limit !== 'all' && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) throw new QueryError('limit', `limit 应为 1 到 1000 的整数 (got "${limit}")`);
  const offset = q.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new QueryError('offset', `offset 应为不小于 0 的整数 (got "${offset}")`);
  const person = q.personalData ? 'f.person_id, f.name' : 'mask_id(f.person_id) AS person_id, mask_name(f.name) AS name';
  const zh = `CASE f.code ${AUDIT_RULES.map((r) => `WHEN '${r.code}' THEN '${r.zh}'`).join(' ')} END`;
  const stateZh = `CASE coalesce(r.state, 'pending') ${REVIEW_STATES.map((s) => `WHEN '${s.code}' THEN '${s.zh}'`).join(' ')} END`;
  const from = `${source.audit_rules} f LEFT JOIN (${REVIEW_STATE_SQL}) r ON r.year = f.year AND r.code = f.code AND r.claim_id = f.claim_id WHERE ${where.join(' AND ')}`;
  const found = await rows<AuditRuleRow & { evidence: string; total: number }>(
    conn,
    `SELECT f.code, ${zh} AS zh, f.claim_id, ${person}, f.facility_code, f.village_code, f.discharge_date::VARCHAR AS discharge_date,
            f.reimbursed::VARCHAR AS reimbursed, f.amount_at_stake::VARCHAR AS amount_at_stake, f.evidence,
            coalesce(r.state, 'pending') AS state, ${stateZh} AS state_zh, r.to_recover::VARCHAR AS to_recover,
            coalesce(r.recovered, 0)::DECIMAL(18,2)::VARCHAR AS recovered, r.reason, r.reviewed_by, r.reviewed_at,
            coalesce(r.claim_changed, false) AS claim_changed,
            count(*) OVER () AS total
     FROM ${from}
     ORDER BY f.amount_at_stake DESC, f.code, f.claim_id${limit === 'all' ? '' : ` LIMIT ${limit} OFFSET ${offset}`}`,
    params,
  );
  const total = found[0]?.total ?? (await rows<{ n: number }>(conn, `SELECT count(*) AS n FROM ${from}`, params))[0]!.n;
  return { total, rows: found.map(({ total: _, evidence, ...r }) => ({ ...r, evidence: JSON.parse(evidence) as Record<string, unknown> })) };
}

export interface AuditFundRow {
  code: string;
  zh: string;
  subject: string | null;
  person_id: string | null;
  amount: string | null;
  persons: number | null;
  evidence: Record<string, unknown>;
}

/** The roll and fund rules' findings of the year (county only: a township officer does not read them). */
export async function readAuditFund(conn: DuckDBConnection, year: number, opts: { personalData?: boolean } = {}, source: Source = PREPARED): Promise<AuditFundRow[]> {
  const found = await rows<AuditFundRow & { evidence: string }>(
    conn,
    `SELECT code, subject, ${opts.personalData ? 'person_id' : 'mask_id(person_id) AS person_id'}, amount::VARCHAR AS amount, persons, evidence
     FROM ${source.audit_fund} WHERE year = $1 ORDER BY code, subject, person_id`,
    [year],
  );
  return found.map((r) => ({ ...r, zh: auditRuleByCode(r.code)?.zh ?? r.code, evidence: JSON.parse(r.evidence) as Record<string, unknown> }));
}

export interface AuditRuleFigure {
  unit: string;
  /** YYYY-MM of discharge, or the year. */
  period: string;
  code: string;
  zh: string;
  flagged: number;
  at_stake: string;
  pending: number;
  confirmed: number;
  dismissed: number;
  recovered_count: number;
  to_recover: string;
  recovered: string;
}

const FIGURE_UNIT = { county: 'left(f.village_code, 6)', township: 'left(f.village_code, 9)', facility: 'f.facility_code' } as const;

/**
 * The figures per rule (spec/audit-rules.md, Figures): flagged claims and amount at stake,
 * pending, confirmed (已追回 counted apart), dismissed, amount to recover and recovered, at county,
 * township or facility grain, for the year or per discharge month. A recovered finding counts as
 * recovered, not as confirmed.
 */
export async function readAuditRuleFigures(
  conn: DuckDBConnection,
  q: { year: number; grain: keyof typeof FIGURE_UNIT; period?: 'year' | 'month'; township?: string },
  source: Source = PREPARED,
): Promise<AuditRuleFigure[]> {
  const unit = FIGURE_UNIT[q.grain];
  if (!unit) throw new QueryError('grain', `grain 应为 county、township 或 facility 之一 (got "${q.grain}")`);
  const period = q.period === 'month' ? "strftime(f.discharge_date, '%Y-%m')" : `'${Math.trunc(q.year)}'`;
  const state = "coalesce(r.state, 'pending')";
  const found = await rows<AuditRuleFigure>(
    conn,
    `SELECT ${unit} AS unit, ${period} AS period, f.code,
            count(*) AS flagged, sum(f.amount_at_stake)::VARCHAR AS at_stake,
            count(*) FILTER (${state} = 'pending') AS pending,
            count(*) FILTER (${state} = 'confirmed') AS confirmed,
            count(*) FILTER (${state} = 'dismissed') AS dismissed,
            count(*) FILTER (${state} = 'recovered') AS recovered_count,
            coalesce(sum(r.to_recover), 0)::DECIMAL(18,2)::VARCHAR AS to_recover,
            coalesce(sum(r.recovered), 0)::DECIMAL(18,2)::VARCHAR AS recovered
     FROM ${source.audit_rules} f
     LEFT JOIN (${REVIEW_STATE_SQL}) r ON r.year = f.year AND r.code = f.code AND r.claim_id = f.claim_id
     WHERE f.year = $year${q.township ? ' AND starts_with(f.village_code, $township)' : ''}
     GROUP BY ALL ORDER BY unit, period, f.code`,
    q.township ? { year: q.year, township: q.township } : { year: q.year },
  );
  return found.map((r) => ({ ...r, zh: auditRuleByCode(r.code)?.zh ?? r.code }));
}
