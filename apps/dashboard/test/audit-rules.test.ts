/**
 * The audit rules' findings and their review through the real server (spec/audit-rules.md,
 * Output): every role reads the list, personal data masked unless the role may see it, a
 * township officer only their township's claims; auditors and administrators decide, under the
 * signed-in account, in the audit log; nobody else may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAccount, generateSmallCounty, loadCounty, signInCookie, startServer, type RunningServer } from '../../../packages/cli/test/support.ts';

const ROLES = ['admin', 'leader', 'township', 'auditor'] as const;
const PASSWORD = 'a-long-password-1';
const TOWN = '410523101';

let dir: string;
let server: RunningServer;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-audit-rules-'));
  const db = loadCounty(dir, generateSmallCounty(dir), 'rules');
  for (const role of ROLES) addAccount(dir, db, role, role, PASSWORD, role === 'township' ? ['--township', TOWN] : []);
  server = await startServer(dir, db);
  for (const role of ROLES) cookies[role] = await signInCookie(server.url, role, PASSWORD);
}, 240_000);
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const as = (role: string, path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('cookie', cookies[role]!);
  return fetch(server.url + path, { ...init, headers, redirect: 'manual' });
};
const post = (role: string, body: object) => as(role, '/api/audit/rules', { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(body) });

interface Listing {
  total: number;
  rows: { code: string; claim_id: string; person_id: string; village_code: string | null; amount_at_stake: string; state: string; reviewed_by: string | null; to_recover: string | null }[];
  fund: unknown[];
}
const list = async (role: string, query: string): Promise<Listing> => {
  const r = await as(role, `/api/audit/rules?year=2005&${query}`);
  expect(r.status, await r.clone().text()).toBe(200);
  return (await r.json()) as Listing;
};

describe('/api/audit/rules', () => {
  it('lists the findings ranked by amount at stake, persons unmasked for the auditor only, a township officer\'s township only', async () => {
    const auditor = await list('auditor', 'limit=50');
    expect(auditor.total).toBeGreaterThan(0);
    const stakes = auditor.rows.map((r) => Math.round(Number(r.amount_at_stake) * 100));
    expect(stakes).toEqual([...stakes].sort((a, b) => b - a));
    expect(auditor.rows.every((r) => /^\d{17}[\dX]$/.test(r.person_id))).toBe(true);
    const leader = await list('leader', 'limit=50');
    expect(leader.total).toBe(auditor.total);
    expect(leader.rows.every((r) => /^\d{6}\*{8}\d{3}[\dX]$/.test(r.person_id))).toBe(true);
    const town = await list('township', 'limit=1000');
    expect(town.total).toBeLessThanOrEqual(auditor.total);
    expect(town.rows.every((r) => r.village_code?.startsWith(TOWN))).toBe(true);
    expect(town.fund).toEqual([]);
    const county = await list('auditor', `township=${TOWN}&limit=1000`);
    expect(town.rows.map((r) => r.claim_id + r.code)).toEqual(county.rows.map((r) => r.claim_id + r.code));
    // another township is refused, never an empty list; the whole list is the command line's
    expect((await as('township', '/api/audit/rules?year=2005&township=410523102')).status).toBe(403);
    expect((await as('auditor', '/api/audit/rules?year=2005&limit=all')).status).toBe(400);
    expect((await as('auditor', '/api/audit/rules?year=2005&code=nonsense')).status).toBe(400);
  });

  it('records decisions for the auditor and the administrator, under the signed-in account, in the audit log', async () => {
    const [first, second] = (await list('auditor', 'limit=2')).rows;
    const key = { year: 2005, code: first!.code, claim_id: first!.claim_id };
    expect((await post('leader', { ...key, action: 'confirm' })).status).toBe(403);
    expect((await post('township', { ...key, action: 'confirm' })).status).toBe(403);
    const confirmed = await post('auditor', { ...key, action: 'confirm' });
    expect(confirmed.status).toBe(200);
    const atStake = Number(first!.amount_at_stake) > 0 ? first!.amount_at_stake : '0.00';
    expect(await confirmed.json()).toEqual({ state: 'confirmed', to_recover: atStake, recovered: '0.00' });
    const again = await post('admin', { ...key, action: 'dismiss', reason: '复查无误' });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 'bad_param', param: 'action' });
    const noReason = await post('admin', { year: 2005, code: second!.code, claim_id: second!.claim_id, action: 'dismiss' });
    expect(await noReason.json()).toMatchObject({ code: 'bad_param', param: 'reason' });
    expect((await post('admin', { year: 2005, code: second!.code, claim_id: second!.claim_id, action: 'dismiss', reason: '复查无误' })).status).toBe(200);
    const mine = (await list('leader', 'state=confirmed&limit=1000')).rows.find((r) => r.claim_id === key.claim_id && r.code === key.code);
    expect(mine).toMatchObject({ state: 'confirmed', reviewed_by: 'auditor', to_recover: atStake });
    expect((await list('leader', 'state=dismissed&limit=1000')).rows.map((r) => r.reviewed_by)).toEqual(['admin']);
    const log = await (await as('admin', '/admin/audit-log?action=audit_review')).text();
    expect(log).toContain(`confirm 2005 ${key.code} ${key.claim_id}`);
  });

  it('shows the queue on the 审核 page, with the review form for those who decide, and records a recovery from it', async () => {
    // the auditor's page (names and IDs in full) is never the copy another role is given
    const ID18 = /(?<![\d.])[1-8]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX](?!\d)/;
    expect(ID18.test(await (await as('auditor', '/audit?year=2005')).text())).toBe(true);
    const leaderPage = await (await as('leader', '/audit?year=2005')).text();
    expect(ID18.exec(leaderPage)?.[0]).toBeUndefined();
    expect(leaderPage).toContain('复核队列');
    expect(leaderPage).not.toContain('aria-label="复核"');
    const auditorPage = await (await as('auditor', '/audit?year=2005&state=confirmed')).text();
    expect(auditorPage).toContain('aria-label="复核"');
    expect(auditorPage).toContain('各机构涉及金额与追回');
    const [confirmed] = (await list('auditor', 'state=confirmed')).rows;
    const form = (role: string, fields: Record<string, string>) =>
      as(role, '/audit?/review&year=2005', { method: 'POST', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(fields) });
    const fields = { year: '2005', claim_id: confirmed!.claim_id, code: confirmed!.code, action: 'recover', amount: '0.01', recovered_on: '2006-01-15' };
    expect((await form('leader', fields)).status).toBe(403);
    const r = await form('auditor', fields);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('已追回 0.01 元');
    const after = (await list('leader', 'state=confirmed&limit=1000')).rows.find((x) => x.claim_id === confirmed!.claim_id && x.code === confirmed!.code);
    expect(after).toMatchObject({ state: Number(confirmed!.to_recover) > 0.01 ? 'confirmed' : 'recovered' });
    // the per-facility table (to recover, recovered, outstanding) is on the page for every role
    expect(await (await as('leader', '/audit?year=2005')).text()).toMatch(/各机构涉及金额与追回[\s\S]*尚待追回/);
  });
});
