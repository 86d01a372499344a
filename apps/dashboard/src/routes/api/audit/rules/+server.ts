/**
 * GET /api/audit/rules?year=Y[&code=C][&facility=F][&township=T|&village=V][&state=S][&offset=N&limit=N]:
 * `{ total, rows, fund }`, the audit rules' findings with their review state ranked by amount at
 * stake (spec/audit-rules.md), the same list as `ncms audit --rules`. A township officer reads
 * their township's claims only (and no county-wide fund findings); personal data is masked unless
 * the signed-in role may see it. `limit=all` for the command line only.
 *
 * POST (auditor, administrator) `{ year, code, claim_id, action: confirm|dismiss|recover, amount?,
 * reason?, recovered_on? }`: records a review decision under the signed-in account, in the audit log.
 */
import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { auditRulesListing, reviewFinding } from '@ncms/platform';
import { REVIEW_ACTIONS, type ReviewAction } from '@ncms/analytics';
import { can } from '@ncms/access';
import { api, apiFilters, readInt } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { audit } from '$lib/server/audit-log';

const text = (url: URL, name: string, pattern: RegExp, what: string): string | undefined => {
  const v = url.searchParams.get(name) || undefined;
  if (v !== undefined && !pattern.test(v)) throw new ParamError(name, `${name} 应为${what} (got "${v}")`);
  return v;
};

export const GET: RequestHandler = api(async ({ url, locals }) => {
  const f = apiFilters(url);
  const personalData = can(locals.principal, 'personalData') && locals.principal?.via === 'session';
  const all = url.searchParams.get('limit') === 'all';
  if (all && locals.principal?.via !== 'cli') throw new ParamError('limit', 'limit=all 仅供命令行使用，请分页读取 (limit=all is for the command line)');
  return json(
    await auditRulesListing(locals.platform, {
      year: f.year,
      code: text(url, 'code', /^[a-z_]{1,40}$/, '审核规则代码'),
      facility: text(url, 'facility', /^[0-9A-Za-z_-]{1,32}$/, '机构编码'),
      township: f.village ?? f.township,
      state: text(url, 'state', /^[a-z]{1,20}$/, '复核状态'),
      offset: all ? 0 : readInt(url, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
      limit: all ? 'all' : readInt(url, 'limit', 100, 1, 1000),
      personalData,
    }),
  );
});

export const POST: RequestHandler = api(async (event) => {
  const { request, locals } = event;
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') throw new ParamError('body', '请求体应为 JSON 对象 (the body must be a JSON object)');
  const str = (k: string) => (body[k] === undefined || body[k] === null ? undefined : String(body[k]));
  const year = Number(body.year);
  if (!Number.isInteger(year) || year < 1990 || year > 2100) throw new ParamError('year', `year 应为年度，如 2006 (got "${str('year') ?? ''}")`);
  const action = str('action');
  if (!REVIEW_ACTIONS.includes(action as ReviewAction)) throw new ParamError('action', `action 应为 ${REVIEW_ACTIONS.join('、')} 之一 (got "${action ?? ''}")`);
  const req = { year, code: str('code') ?? '', claim_id: str('claim_id') ?? '', action: action as ReviewAction, amount: str('amount'), reason: str('reason'), recovered_on: str('recovered_on'), by: locals.principal!.username };
  const status = await reviewFinding(locals.platform, req);
  await audit(event, 'audit_review', `${req.action} ${year} ${req.code} ${req.claim_id}${req.amount ? ` ${req.amount} 元` : ''}${req.reason ? `：${req.reason}` : ''} → ${status.state}`);
  return json(status);
});
