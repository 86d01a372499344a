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
  addAccount(dir, db, 'raced', 'leader', PASSWORD);
  addAccount(dir, db, 'changer', 'leader', PASSWORD);
  addAccount(dir, db, 'analyst2', 'analyst', PASSWORD);
  names = (await dbRows<{ name: string }>(db, 'SELECT DISTINCT name FROM enrollment WHERE length(name) >= 3')).map((r) => r.name);
  server = await startServer(dir, db);
  for (const role of [...ROLES, 'changer', 'analyst2']) cookies[role] = await signInCookie(server.url, role, PASSWORD);
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A form POST as a browser on this server sends it, answered as JSON (SvelteKit's action result). */
const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
  body: new URLSearchParams(fields),
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
    // A client that does not ask for HTML (curl sends Accept: */*) gets the form too, not 405.
    for (const accept of ['*/*', 'application/json']) {
      const form = await as(null, '/login', { headers: { accept } });
      expect(form.status).toBe(200);
      expect(form.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await form.text()).toMatch(/<form[^>]*method="post"[\s\S]*name="password"/i);
    }
    // A favicon is served; a missing asset is a 404 in the request log, not a failure with a stack.
    const icon = await as(null, '/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/x-icon');
    expect(Buffer.from(await icon.arrayBuffer()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0])); // an ICO's header
    expect((await as('admin', '/no-such-icon.png')).status).toBe(404);
    const logged = server.output().split('\n').filter((l) => l.includes('/no-such-icon.png'));
    expect(logged.length).toBeGreaterThan(0);
    for (const l of logged) expect(JSON.parse(l)).toMatchObject({ level: 'info', status: 404 });
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
        // An object outside the account's township (object 1 of a route that takes an id) is the
        // object check's refusal, not the route rule's: the rule let the request through.
        const objectRefusal = r.status === 403 && id.includes('[id]') && ((await r.json()) as { code: string }).code === 'out_of_scope';
        const refused = (r.status === 401 || r.status === 403) && !objectRefusal;
        if (allowed === refused) outcomes.push(`${role} GET ${path}: ${r.status}, expected ${allowed ? 'allowed' : '403'}`);
        if (!r.bodyUsed) await r.body?.cancel();
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

  it('is shown with their township by name, and a real account sees no demo banner', async () => {
    const { name } = ((await (await as('township', '/api/indicators?year=2005&by=township&ids=enrollees')).json()) as { name: string }[])[0]!;
    expect(name).toMatch(/[镇乡]$/);
    const html = await (await as('township', '/enrollment?year=2005')).text();
    expect(html).toContain(`township（乡镇经办 · ${name}）`);
    expect(html).not.toContain('演示模式');
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

/** A township other than the officer's, read from the county's list. */
async function otherTownship(): Promise<string> {
  const all = (await (await as('leader', '/api/indicators?year=2005&by=township&ids=enrollees')).json()) as { division_code: string }[];
  return all.find((t) => t.division_code !== TOWN)!.division_code;
}

/** Reviews and sends the year's report of `township` (the county's without one) as `role`; the id of its archive. */
async function sendReport(role: string, township?: string): Promise<number> {
  const q = `year=2005&period=2005${township ? `&township=${township}` : ''}`;
  for (const action of ['reviewed', 'submitted']) {
    const r = await as(role, `/reports?/sign&${q}`, form({ action, by: '王会计' }));
    expect(await r.json(), `${role} ${action} ${q}`).toMatchObject({ type: 'success' });
  }
  const page = await (await as(role, `/reports?${q}`)).text();
  return Number(/\/api\/report\/archive\/(\d+)\?format=/.exec(page)![1]);
}

describe('objects named by id', () => {
  it("are refused to a township officer when they are another township's or the county's, and a missing id looks the same", async () => {
    const other = await otherTownship();
    // The objects of each route that takes an id: the officer's own, another township's, the county's.
    const objects: Record<string, { own: number; other: number; county: number; query: string }> = {
      '/api/report/archive/[id]': { own: await sendReport('township'), other: await sendReport('admin', other), county: await sendReport('admin'), query: '?format=xlsx' },
    };
    const idRoutes = (await routeIds()).filter((id) => /\[\w+\]/.test(id) && !id.includes('[...'));
    expect(idRoutes.length).toBeGreaterThan(0);
    expect(idRoutes.filter((id) => !(id in objects)), 'a route that takes an id has no objects in this test').toEqual([]);
    for (const [route, o] of Object.entries(objects)) {
      const path = (id: number) => route.replace(/\[\w+\]/, String(id)) + o.query;
      expect((await as('township', path(o.own))).status, `${route} own`).toBe(200);
      const refusals: string[] = [];
      for (const id of [o.other, o.county, 999_999]) {
        const r = await as('township', path(id));
        expect(r.status, `${route} ${id}`).toBe(403);
        refusals.push(await r.text());
      }
      // Another township's object, the county's and one that does not exist answer alike.
      expect(new Set(refusals).size).toBe(1);
      expect(JSON.parse(refusals[0]!)).toMatchObject({ code: 'out_of_scope' });
      // The county's roles open them all; a missing id is a 404 for them.
      for (const id of [o.own, o.other, o.county]) expect((await as('leader', path(id))).status, `${route} ${id} leader`).toBe(200);
      expect((await as('leader', path(999_999))).status).toBe(404);
    }
    // The reports page names a sent report by id too (?sent=ID): the same rule on a page.
    const archive = objects['/api/report/archive/[id]']!;
    const sentPage = (role: string, id: number, township = '') => as(role, `/reports?year=2005&period=2005${township && `&township=${township}`}&sent=${id}`);
    expect((await sentPage('township', archive.own)).status).toBe(200);
    const pages = await Promise.all([archive.other, archive.county, 999_999].map(async (id) => sentPage('township', id)));
    expect(pages.map((r) => r.status)).toEqual([403, 403, 403]);
    // Alike but for the page's per-request CSP nonce, which tells nothing of the id.
    const bodies = await Promise.all(pages.map(async (r) => (await r.text()).replace(/nonce="[^"]*"/g, 'nonce=""')));
    expect(new Set(bodies).size).toBe(1);
    expect((await sentPage('leader', archive.other, other)).status).toBe(200);
    expect((await sentPage('leader', 999_999, other)).status).toBe(404);
  }, 240_000);

  it("refuses a township officer another township's facility on /api/audit", async () => {
    const json = { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: '' };
    const pick = async (where: string) => {
      const sql = `SELECT facility_code FROM facilities WHERE in_county AND ${where} ORDER BY facility_code LIMIT 1`;
      const r = (await (await as('analyst', '/api/query', { ...json, body: JSON.stringify({ sql }) })).json()) as { rows: string[][] };
      return r.rows[0]![0]!;
    };
    const foreign = await pick(`left(division_code, 9) <> '${TOWN}'`);
    const r = await as('township', `/api/audit?year=2005&facility=${foreign}`);
    expect(r.status).toBe(403);
    expect(await r.json()).toMatchObject({ code: 'out_of_scope' });
    expect((await as('township', `/audit?year=2005&facility=${foreign}`)).status).toBe(403);
    // Their own township's facilities, and the county's roles, are answered.
    const own = await pick(`left(division_code, 9) = '${TOWN}'`).catch(() => undefined);
    if (own) expect((await as('township', `/api/audit?year=2005&facility=${own}`)).status).toBe(200);
    expect((await as('leader', `/api/audit?year=2005&facility=${foreign}`)).status).toBe(200);
  });
});

describe('sign-in under attack', () => {
  const post = (username: string, password: string, next = '') =>
    fetch(`${server.url}/login${next}`, { method: 'POST', redirect: 'manual', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password }) });

  it('counts guesses sent at once: 11 wrong and 1 right check at most 5 passwords, the rest 429', async () => {
    const statuses = await Promise.all([...Array.from({ length: 11 }, () => post('raced', 'wrong-password-x')), post('raced', PASSWORD)].map((p) => p.then((r) => r.status)));
    expect(statuses.filter((s) => s === 429).length, statuses.join(' ')).toBeGreaterThanOrEqual(12 - 5);
    expect(statuses.filter((s) => s !== 429).length, statuses.join(' ')).toBeLessThanOrEqual(5);
  });

  it('throttles the password-change form: after 5 wrong current passwords, 429 even with the right one', async () => {
    const change = (current: string) => as('changer', '/account/password', form({ current, password: 'a-fresh-secret-42', confirm: 'a-fresh-secret-42' }));
    for (let i = 0; i < 5; i++) expect(await (await change(`wrong-current-${i}`)).json()).toMatchObject({ type: 'failure', status: 401 });
    expect(await (await change(PASSWORD)).json()).toMatchObject({ type: 'failure', status: 429 });
  });

  it('follows `next` only to a path of this server', async () => {
    const to = async (next: string) => {
      const r = await post('leader', PASSWORD, `?next=${encodeURIComponent(next)}`);
      expect(r.status, `${JSON.stringify(next)}: ${await r.clone().text()}`).toBe(303);
      return r.headers.get('location');
    };
    for (const evil of ['/\t/evil.example', '//evil.example', '/\\evil.example', 'https://evil.example/', '/.//evil.example', '/x\r\nSet-Cookie: a=b', 'javascript:alert(1)']) expect(await to(evil), JSON.stringify(evil)).toBe('/');
    expect(await to('/enrollment?year=2005#t')).toBe('/enrollment?year=2005#t');
    // The red team's request as it was sent, and a signed-in visit to /login.
    expect((await post('leader', PASSWORD, '?next=/%09/evil.example')).headers.get('location')).toBe('/');
    expect((await as('leader', '/login?next=/%09/evil.example', { headers: { accept: 'text/html' } })).headers.get('location')).toBe('/');
  });
});

describe('saved queries', () => {
  it("belong to the account that saved them: another analyst may neither replace nor remove one, an administrator may; both are logged", async () => {
    const save = (role: string, title: string) => as(role, '/query?/save&tab=sql', form({ title, sql: 'SELECT 1 AS one', author: '冒名' }));
    expect(await (await save('analyst', '分析员的查询')).json()).toMatchObject({ type: 'success' });
    const page = await (await as('analyst', '/query?year=2005&tab=sql')).text();
    expect(page).toContain('analyst · ');
    expect(page).not.toContain('冒名');
    const id = /name="id" value="(\d+)"/.exec(page)![1]!;
    expect(await (await save('analyst2', '分析员的查询')).json()).toMatchObject({ type: 'failure', status: 403 });
    expect(await (await as('analyst2', '/query?/remove&tab=sql', form({ id }))).json()).toMatchObject({ type: 'failure', status: 403 });
    expect(await (await as('admin', '/query?/remove&tab=sql', form({ id }))).json()).toMatchObject({ type: 'success' });
    const log = await (await as('admin', '/admin/audit-log')).text();
    expect(log).toContain('保存查询');
    expect(log).toContain('删除已存查询');
  });
});

describe('exports and the audit log under hostile text', () => {
  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(body) });

  it("neutralises a formula in the analyst's CSV and keeps negative numbers numbers", async () => {
    const sql = `SELECT '=HYPERLINK("http://evil.example","东关村")' AS 村名, '@SUM(A1)' AS 机构, -5 AS n, CAST(-12.5 AS DECIMAL(18,2)) AS money`;
    const csv = (await (await as('analyst', '/api/query/export', json({ sql, format: 'csv' }))).text()).replace(/^\uFEFF/, '');
    expect(csv).toBe('村名,机构,n,money\r\n"\'=HYPERLINK(""http://evil.example"",""东关村"")",\'@SUM(A1),-5,-12.50\r\n');
  });

  it('keeps ID numbers typed into SQL out of the audit log', async () => {
    await as('analyst', '/api/query', json({ sql: "SELECT count(*) FROM enrollment WHERE person_id = '410523198001010011'" }));
    const log = await (await as('admin', '/admin/audit-log?action=sql_query')).text();
    expect(log).toContain('410523********0011');
    expect(ID18.exec(log)?.[0]).toBeUndefined();
  });
});

describe('headers, refusals and error pages', () => {
  it('sets the security headers on refusals and redirects too, no-store on personal data, a CSP on the documents', async () => {
    const answers = {
      'anonymous API 401': await as(null, '/api/indicators?year=2005'),
      'anonymous page redirect': await as(null, '/enrollment'),
      'out of scope 403': await as('township', `/api/indicators?year=2005&township=${await otherTownship()}`),
      'forbidden page 403': await as('leader', '/admin/audit-log'),
      'CSRF 403': await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=a&password=b' }),
      'missing page 404': await as('leader', '/nonexistent'),
    };
    for (const [what, r] of Object.entries(answers)) {
      expect(r.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), what).toBe('same-origin');
      expect(r.headers.get('x-frame-options'), what).toBe('DENY');
      await r.body?.cancel();
    }
    expect((await as('auditor', '/api/audit?year=2005&limit=5')).headers.get('cache-control')).toBe('no-store');
    expect((await as('auditor', '/audit?year=2005')).headers.get('cache-control')).toBe('no-store');
    for (const path of ['/api/report?year=2005&format=html', `/api/disclosure?year=2005&village=${TOWN}200&month=2005-03&format=html`]) {
      const r = await as('leader', path);
      expect(r.headers.get('content-security-policy'), path).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(r.headers.get('cache-control'), path).toBe('no-store');
    }
    // A server over plain http sends no HSTS (it would lock browsers out of it).
    expect((await as('leader', '/')).headers.get('strict-transport-security')).toBeNull();
  });

  it('answers bad page parameters with a readable 400 page naming the parameter, a missing page with a 404 page', async () => {
    for (const [path, param] of [['/reports?year=2005&period=2006Q5', 'period'], ['/query?year=2005&indicator=x', 'indicator'], ['/admin/audit-log?from=2026-99-99', 'from']] as const) {
      const r = await as('admin', path);
      const html = await r.text();
      expect(r.status, path).toBe(400);
      expect(html, path).toContain(param);
      expect(html, path).toContain('返回总览');
    }
    const missing = await as('leader', '/nonexistent');
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(html).toContain('没有这个页面');
    // The page keeps the navigation, so the way back is one click.
    expect(html).toContain('href="/enrollment');
  });

  it('refuses POST /logout from another site, and the session lives on', async () => {
    const r = await as('leader', '/logout', { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(r.status).toBe(403);
    expect((await as('leader', '/api/indicators?year=2005&ids=enrollees')).status).toBe(200);
    // A browser's cross-site request without an Origin says so in Sec-Fetch-Site.
    expect((await as('leader', '/logout', { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await as('leader', '/api/indicators?year=2005&ids=enrollees')).status).toBe(200);
  });

  it('lets a browser session name only the configured folders for loading, backups and the lake', async () => {
    const outside = join(dir, 'elsewhere');
    for (const [path, body] of [['/api/backup', { out: outside }], ['/api/lake', { out: outside }], ['/api/ingest', { dir: tmpdir() }]] as const) {
      const r = await as('admin', path, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(body) });
      expect(r.status, path).toBe(403);
      expect(await r.json(), path).toMatchObject({ code: 'forbidden', error: expect.stringContaining('配置') });
    }
    // The command line's token may name any path (it can read the database file anyway).
    const backup = await server.fetch('/api/backup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ out: outside }) });
    expect(backup.status).toBe(200);
  }, 120_000);
});
