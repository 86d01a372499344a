/**
 * Access on the real server, as spec/api.md states it: without a session pages redirect to
 * /login and the API answers 401; sign-in by the form's fields (401 wrong, 429 after too many);
 * every route of the app walked as every role (the route list is read from src/routes, so a new
 * route without a rule fails here); a township officer kept to their township (403, never an
 * empty 200); personal data masked for every role that may not see it; the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROUTE_RULES } from '../src/lib/server/access-rules.ts';
import { addAccount, dbRows, sharedSmallCounty, signInCookie, startServer, type RunningServer } from '../../../packages/cli/test/support.ts';

const ROLES = ['admin', 'leader', 'township', 'analyst', 'auditor'] as const;
const PASSWORD = 'a-long-password-1';
const TOWN = '410523101';
// An ID number as GB 11643 shapes it (area, birth date, sequence, check), not any 18 digits (a float's decimals).
const ID18 = /(?<![\d.])[1-8]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX](?!\d)/;

let dir: string;
let server: RunningServer;
const cookies: Record<string, string> = {};
/** The county's full names of three characters or more (so that a name cannot be a common word), read from the roll. */
let names: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-access-'));
  const db = await (await sharedSmallCounty(dir)).loaded(dir, 'access');
  for (const role of ROLES) addAccount(dir, db, role, role, PASSWORD, role === 'township' ? ['--township', TOWN] : []);
  addAccount(dir, db, 'guessed', 'leader', PASSWORD);
  names = (await dbRows<{ name: string }>(db, 'SELECT DISTINCT name FROM enrollment WHERE length(name) >= 3')).map((r) => r.name);
  server = await startServer(dir, db);
  for (const role of ROLES) cookies[role] = await signInCookie(server.url, role, PASSWORD);
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const as = (role: string | null, path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (role) headers.set('cookie', cookies[role]!);
  return fetch(server.url + path, { ...init, headers, redirect: 'manual' });
};

/** Every route id of the app, from the files under src/routes. */
async function routeIds(): Promise<string[]> {
  const root = join(import.meta.dirname, '..', 'src', 'routes');
  const files = (await readdir(root, { recursive: true })).filter((f) => /(^|\/)\+(page\.svelte|page\.server\.ts|server\.ts)$/.test(f));
  return [...new Set(files.map((f) => '/' + relative('.', f).replace(/(^|\/)\+[^/]+$/, '')).map((r) => (r === '/.' ? '/' : r.replace(/\/$/, '') || '/')))].sort();
}

describe('without a session', () => {
  it('pages redirect to /login, the API answers 401, /healthz and /login stay open', async () => {
    const page = await as(null, '/enrollment?year=2005');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fenrollment%3Fyear%3D2005');
    const api = await as(null, '/api/indicators?year=2005');
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ code: 'unauthenticated' });
    expect((await as(null, '/healthz')).status).toBe(200);
    expect((await as(null, '/login', { headers: { accept: 'text/html' } })).status).toBe(200);
    // A forged session cookie is no session.
    expect((await fetch(`${server.url}/api/indicators?year=2005`, { headers: { cookie: 'ncms_session=forged' } })).status).toBe(401);
  });
});

describe('sign-in', () => {
  it('answers a redirect with an HttpOnly, SameSite=Lax cookie; wrong credentials 401; too many attempts 429', async () => {
    const post = (username: string, password: string) =>
      fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password }) });
    const ok = await post('guessed', PASSWORD);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('set-cookie')).toMatch(/^ncms_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect((await post('guessed', 'wrong-password')).status).toBe(401);
    for (let i = 0; i < 4; i++) await post('guessed', 'wrong-password');
    // Locked for the window, even with the right password.
    const locked = await post('guessed', PASSWORD);
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: 'too_many_attempts' });
    // Without the app's Origin the form is refused (SvelteKit's CSRF check).
    const foreign = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=x' });
    expect(foreign.status).toBe(403);
  });

  it('sets the security headers on every answer', async () => {
    const r = await as('leader', '/?year=2005');
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('every route as every role', () => {
  it('has a rule for every route of the app', async () => {
    const ids = await routeIds();
    expect(ids.length).toBeGreaterThan(30);
    expect(ids.filter((id) => !(id in ROUTE_RULES))).toEqual([]);
  });

  it('lets each role open what its rule allows and answers 403 for the rest', async () => {
    const outcomes: string[] = [];
    for (const id of await routeIds()) {
      const rule = ROUTE_RULES[id]!;
      const path = `${id.replace('[id]', '1').replace('[...rest]', 'no-such-thing')}?year=2005`;
      for (const role of ROLES) {
        const r = await as(role, path);
        const allowed = 'open' in rule || rule.roles === 'all' || rule.roles.includes(role);
        const refused = r.status === 401 || r.status === 403;
        if (allowed === refused) outcomes.push(`${role} GET ${path}: ${r.status}, expected ${allowed ? 'allowed' : '403'}`);
        await r.body?.cancel();
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('refuses writes to roles without the capability: sign-off, SQL, loading, accounts', async () => {
    const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(body) });
    expect((await as('leader', '/api/query', json({ sql: 'SELECT 1' }))).status).toBe(403);
    expect((await as('analyst', '/api/query', json({ sql: 'SELECT 1' }))).status).toBe(200);
    expect((await as('analyst', '/api/users', json({ op: 'disable', username: 'admin' }))).status).toBe(403);
    expect((await as('leader', '/api/ingest', json({ dir: '/tmp' }))).status).toBe(403);
    const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(fields) });
    expect((await as('analyst', '/reports?/sign&year=2005', form({ action: 'reviewed', by: '分析员' }))).status).toBe(403);
  });
});

describe('a township officer', () => {
  it('sees their own township by default and gets 403 for another, never an empty answer', async () => {
    const own = (await (await as('township', '/api/indicators?year=2005&by=township&ids=enrollees')).json()) as { division_code: string }[];
    expect(own.map((r) => r.division_code)).toEqual([TOWN]);
    const villages = (await (await as('township', '/api/indicators?year=2005&by=village&ids=enrollees')).json()) as { division_code: string }[];
    expect(villages.length).toBeGreaterThan(0);
    expect(villages.every((v) => v.division_code.startsWith(TOWN))).toBe(true);
    const all = (await (await as('leader', '/api/indicators?year=2005&by=township&ids=enrollees')).json()) as { division_code: string }[];
    const other = all.find((t) => t.division_code !== TOWN)!.division_code;
    for (const path of [`/api/indicators?year=2005&township=${other}`, `/api/report?year=2005&township=${other}&format=html`, `/enrollment?year=2005&township=${other}`, `/api/indicators?year=2005&village=${other}200`]) {
      const r = await as('township', path);
      expect(r.status, path).toBe(403);
      if (path.startsWith('/api/')) expect(await r.json()).toMatchObject({ code: 'out_of_scope' });
    }
  });
});

describe("a township officer's place in the county", () => {
  it('is given by rank on the overview, with no other township named', async () => {
    const all = (await (await as('leader', '/api/indicators?year=2005&by=township&ids=participation_rate')).json()) as { division_code: string; name: string; participation_rate: number }[];
    // Townships without a rate (no census) have no place.
    const rated = all.filter((t) => t.participation_rate !== null);
    const own = rated.find((t) => t.division_code === TOWN)!;
    const rank = rated.filter((t) => t.participation_rate > own.participation_rate).length + 1;
    const page = await (await as('township', '/?year=2005')).text();
    expect(page).toContain(`参合率在全县 ${rated.length} 个乡镇中排第 ${rank} 位`);
    for (const t of all.filter((x) => x.division_code !== TOWN && x.name)) expect(page, t.name).not.toContain(t.name);
    // The county's own overview ranks the townships by name, as before.
    expect(await (await as('leader', '/?year=2005')).text()).toContain(all.find((t) => t !== own)!.name);
  });
});

describe('personal data', () => {
  it('appears unmasked only to the roles that may see it', async () => {
    const scan = ['/api/audit?year=2005&limit=1000', '/audit?year=2005', '/api/report?year=2005&format=html'];
    for (const role of ['leader', 'township', 'analyst'] as const) {
      for (const path of scan) {
        const text = await (await as(role, path)).text();
        expect(ID18.exec(text)?.[0], `${role} ${path}`).toBeUndefined();
      }
    }
    // The control: the auditor's claim list carries the ID numbers.
    const auditor = (await (await as('auditor', '/api/audit?year=2005&limit=1000')).json()) as { rows: { person_id: string }[] };
    expect(auditor.rows.some((r) => /^\d{17}[\dX]$/.test(r.person_id))).toBe(true);
    // The server's log: a JSON line per request with its id, and no ID number anywhere in it.
    const lines = server.output().split('\n').filter((l) => l.startsWith('{'));
    const logged = lines.map((l) => JSON.parse(l) as { requestId?: string; path?: string; status?: number; user?: string });
    expect(logged.some((l) => l.path === '/api/audit' && l.status === 200 && l.user === 'auditor' && /^[0-9a-f-]{36}$/.test(l.requestId ?? ''))).toBe(true);
    expect(ID18.exec(server.output())?.[0]).toBeUndefined();
  });
});

/** The first piece of personal data in `text`: an ID number, or a full name of the roll. */
function personalData(text: string): string | undefined {
  return ID18.exec(text)?.[0] ?? names.find((n) => text.includes(n));
}

describe('personal data on every page and export', () => {
  it('shows no ID number or name to a role without the right, on any page it may open or in its exports', async () => {
    expect(names.length).toBeGreaterThan(500);
    const pages = (await routeIds()).filter((id) => !id.startsWith('/api/') && !id.includes('[') && id !== '/logout');
    const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(body) });
    for (const role of ['leader', 'township', 'analyst'] as const) {
      for (const id of pages) {
        const r = await as(role, `${id}?year=2005`);
        const text = await r.text();
        expect(personalData(text), `${role} ${id}`).toBeUndefined();
      }
      const disclosure = await (await as(role, `/api/disclosure?year=2005&village=${TOWN}200&month=2005-03&format=html`)).text();
      expect(personalData(disclosure), `${role} 公示`).toBeUndefined();
      expect(disclosure).toMatch(/\p{Script=Han}\*/u); // the list names people, masked
    }
    // The analyst's exports come from the masked snapshot: no ID number or name in any table's rows.
    for (const table of ['enrollment', 'claims', 'analytics_claims', 'analytics_audit']) {
      const csv = await (await as('analyst', '/api/query/export', json({ sql: `SELECT * FROM ${table} LIMIT 5000`, format: 'csv' }))).text();
      expect(csv.split('\n').length, table).toBeGreaterThan(10);
      expect(personalData(csv), table).toBeUndefined();
    }
    // The server's log, after all of that.
    expect(personalData(server.output())).toBeUndefined();
  });
});

describe('audit log', () => {
  it('records sign-ins, failures and downloads, and only the administrator reads it', async () => {
    await (await as('leader', '/api/report?year=2005&format=html')).text();
    const page = await (await as('admin', '/admin/audit-log')).text();
    for (const word of ['登录', '登录失败', '下载报告', 'account: guessed']) expect(page).toContain(word);
    expect((await as('leader', '/admin/audit-log')).status).toBe(403);
  });
});

describe("the API's parameters under random input", () => {
  it('answers 200 or a JSON 400/403/404 naming the problem, never a failure of the server', async () => {
    const names = ['year', 'by', 'township', 'village', 'facility', 'ids', 'period', 'kind', 'offset', 'limit', 'sort', 'format', 'month'];
    const routes = ['/api/indicators', '/api/series', '/api/audit', '/api/report', '/api/disclosure'];
    const value = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('2005', '2005Q2', '2005-13', '410523101', '4105231012000', '-1', '99999999999999999999', 'county', 'html', '%', '../../etc/passwd', "' OR 1=1 --"));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 5 }), async (route, params) => {
        const q = new URLSearchParams({ year: '2005', ...params });
        // html keeps the report cheap (no Chromium per run).
        if (route === '/api/report' || route === '/api/disclosure') q.set('format', 'html');
        const r = await as('leader', `${route}?${q}`);
        expect([200, 400, 403, 404], `${route}?${q}`).toContain(r.status);
        if (r.status !== 200) expect(await r.json(), `${route}?${q}`).toMatchObject({ error: expect.any(String), code: expect.any(String) });
        else await r.body?.cancel();
      }),
      { numRuns: 150, seed: 5 },
    );
  });
});
