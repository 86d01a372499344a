import type { Actions, PageServerLoad } from './$types';
import { fail } from '@sveltejs/kit';
import { can } from '@ncms/access';
import { QueryError, REVIEW_ACTIONS, type ReviewAction } from '@ncms/analytics';
import { auditRulesListing, reviewFinding } from '@ncms/platform';
import { AUDIT_RULES, REVIEW_STATES, fen, yuan } from '@ncms/rules';
import { audit } from '$lib/server/audit-log';
import { figuresPage } from '$lib/server/page';
import { error } from '@sveltejs/kit';
import { readAuditByFacility, readAuditRuleFigures } from '@ncms/analytics';
import { auditListing } from '@ncms/platform';
import { policyFor } from '$lib/server/policy';
import { scopeCode } from '$lib/server/scope';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
  // The page is remembered per URL: a role that sees personal data has its own copy, and whether
  // the review form shows is decided per request.
  const personalData = can(event.locals.principal, 'personalData') && event.locals.principal?.via === 'session';
  const canReview = can(event.locals.principal, 'reviewFindings');
  const figures = await figuresPage(event, personalData ? 'audit:personal' : 'audit', async ({ filters, platform }) => {
    const { year } = filters;
    const { url } = event;
    const facility = url.searchParams.get('facility') || undefined;
    if (facility !== undefined && !/^[0-9A-Za-z_-]{1,32}$/.test(facility)) error(400, { message: `facility 应为机构编码 (got "${facility}")`, code: 'bad_param' });
    const pageNo = Number(url.searchParams.get('page') ?? '1');
    if (!Number.isInteger(pageNo) || pageNo < 1) error(400, { message: `page 应为正整数 (got "${url.searchParams.get('page')}")`, code: 'bad_param' });
    const within = scopeCode(filters);
    // the review queue (复核) of the audit rules' findings, filtered by rule and state
    const rule = url.searchParams.get('rule') || undefined;
    if (rule !== undefined && !AUDIT_RULES.some((r) => r.code === rule && r.scope === 'claim')) error(400, { message: `rule 应为审核规则代码 (got "${rule}")`, code: 'bad_param' });
    const state = url.searchParams.get('state') || undefined;
    if (state !== undefined && !REVIEW_STATES.some((s) => s.code === state)) error(400, { message: `state 应为复核状态 (got "${state}")`, code: 'bad_param' });
    const queuePage = Number(url.searchParams.get('qpage') ?? '1');
    if (!Number.isInteger(queuePage) || queuePage < 1) error(400, { message: `qpage 应为正整数 (got "${url.searchParams.get('qpage')}")`, code: 'bad_param' });
    const [policy, listing, facilities, queue, figures] = await Promise.all([
      policyFor(platform, year),
      auditListing(platform, { year, township: within, facility, offset: (pageNo - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
      platform.read((c) => readAuditByFacility(c, { year, within })),
      auditRulesListing(platform, { year, township: within, facility, code: rule, state, offset: (queuePage - 1) * PAGE_SIZE, limit: PAGE_SIZE, personalData }),
      platform.read((c) => readAuditRuleFigures(c, { year, grain: 'facility', township: within })),
    ]);
    return {
      empty: false as const,
      year,
      hasPolicy: policy !== undefined,
      facility,
      facilityName: facility ? (facilities.find((f) => f.facility_code === facility)?.facility_name ?? null) : null,
      page: pageNo,
      pageSize: PAGE_SIZE,
      listing,
      facilities,
      queue,
      queuePage,
      recoveryByFacility: byFacility(figures),
      rule: rule ?? null,
      state: state ?? null,
      personalData,
    };
  });
  return { ...figures, canReview };
};

/** Per facility, over every rule: findings, amount at stake, pending, to recover and recovered (exact), most at stake first. */
function byFacility(figures: Awaited<ReturnType<typeof readAuditRuleFigures>>) {
  const out = new Map<string, { facility_code: string; flagged: number; pending: number; at_stake: bigint; to_recover: bigint; recovered: bigint }>();
  for (const f of figures) {
    const t = out.get(f.unit) ?? { facility_code: f.unit, flagged: 0, pending: 0, at_stake: 0n, to_recover: 0n, recovered: 0n };
    t.flagged += Number(f.flagged);
    t.pending += Number(f.pending);
    t.at_stake += fen(f.at_stake);
    t.to_recover += fen(f.to_recover);
    t.recovered += fen(f.recovered);
    out.set(f.unit, t);
  }
  return [...out.values()]
    .sort((a, b) => (b.at_stake > a.at_stake ? 1 : b.at_stake < a.at_stake ? -1 : a.facility_code < b.facility_code ? -1 : 1))
    .map((t) => ({ ...t, at_stake: yuan(t.at_stake), to_recover: yuan(t.to_recover), recovered: yuan(t.recovered), outstanding: yuan(t.to_recover - t.recovered) }));
}

export const actions: Actions = {
  /** One review decision (复核) on a finding of the queue, under the signed-in account. */
  review: async (event) => {
    const { request, locals } = event;
    const form = await request.formData();
    const field = (k: string) => {
      const v = String(form.get(k) ?? '').trim();
      return v === '' ? undefined : v;
    };
    const action = field('action') as ReviewAction | undefined;
    if (!action || !REVIEW_ACTIONS.includes(action)) return fail(400, { message: `请选择复核操作 (unknown action "${action ?? ''}")` });
    const year = Number(field('year'));
    if (!Number.isInteger(year)) return fail(400, { message: '缺少年度 (year is required)' });
    const req = { year, code: field('code') ?? '', claim_id: field('claim_id') ?? '', action, amount: field('amount'), reason: field('reason'), recovered_on: field('recovered_on'), by: locals.principal!.username };
    try {
      const status = await reviewFinding(locals.platform, req);
      await audit(event, 'audit_review', `${req.action} ${year} ${req.code} ${req.claim_id}${req.amount ? ` ${req.amount} 元` : ''}${req.reason ? `：${req.reason}` : ''} → ${status.state}`);
      return { done: `已记录：结算 ${req.claim_id}（${AUDIT_RULES.find((r) => r.code === req.code)?.zh ?? req.code}）现为「${REVIEW_STATES.find((s) => s.code === status.state)!.zh}」${status.to_recover !== null ? `，应追回 ${status.to_recover} 元，已追回 ${status.recovered} 元` : ''}` };
    } catch (e) {
      if (e instanceof QueryError) return fail(400, { message: e.message });
      throw e;
    }
  },
};
