/**
 * Every page in a real headless Chromium (Debian's, driven by playwright-core) on the demo
 * county, at desktop and phone width: it renders without errors, its charts draw, the figures
 * shown are the API's, drill-down and the year filter work, and the empty and error states say
 * what to do. Each page's screenshot goes to docs/screenshots/, which the README shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { compensate, parsePolicy, yuan } from '@ncms/rules';
import { addAccount, ncmsAsync, ncmsIn, signInCookie, startServer, type RunningServer } from '../../../packages/cli/test/support.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const SHOTS = join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots');
const PAGES = [
  ['overview', '/'],
  ['enrollment', '/enrollment'],
  ['payouts', '/payouts'],
  ['fund', '/fund'],
  ['equity', '/equity'],
  ['facilities', '/facilities'],
  ['insurer', '/insurer'],
  ['audit', '/audit'],
  ['quality', '/quality'],
  ['whatif', '/whatif'],
  ['reports', '/reports'],
  ['query', '/query'],
  ['audit-log', '/admin/audit-log'],
] as const;
// The screenshots show the first screenful and a half: enough to see the page, small enough to keep in git.
const WIDTHS = [
  ['desktop', 1280, 1200],
  ['phone', 360, 1000],
] as const;

/**
 * How long a page may take to answer, draw or react: the server's work (a report, a sign-off that
 * archives three files) on a loaded 2-core runner, kept below the test's own timeout so that a
 * page that never gets there fails saying what it waited for. Waits are for conditions, never sleeps.
 */
const PAGE_WAIT = 90_000;

let dir: string;
let server: RunningServer;
let browser: Browser;
/** The administrator's session cookie (`name=value`), given to every browser context. */
let session: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-browser-'));
  // The demo county, as `npm run demo` makes it (the server is started apart, on a free port).
  const demo = await ncmsAsync(dir, ['demo', '--no-serve']);
  if (demo.code !== 0) throw new Error(`demo: ${demo.code} ${demo.stderr}`);
  const db = join(dir, 'data', 'ncms.duckdb');
  addAccount(dir, db, 'office', 'admin', 'a-long-password-1');
  server = await startServer(dir, db);
  session = await signInCookie(server.url, 'office', 'a-long-password-1');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  await mkdir(SHOTS, { recursive: true });
}, 600_000); // a whole county of three years generated and loaded: minutes on a busy 2-core runner
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A page with its console errors collected; fails the test on any. */
async function open(path: string, width = 1280, height = 900): Promise<{ page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  ctx.setDefaultTimeout(PAGE_WAIT);
  const [name, value] = session.split('=') as [string, string];
  await ctx.addCookies([{ name, value, url: server.url }]);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(server.url + path, { waitUntil: 'networkidle' });
  return { page, errors };
}

/** Waits until every chart on the page has drawn. */
async function chartsDrawn(page: Page): Promise<number> {
  const n = await page.locator('.canvas').count();
  if (n) await page.waitForFunction(() => [...document.querySelectorAll('.canvas')].every((c) => c.hasAttribute('data-chart-ready')));
  return n;
}

/**
 * Does `act` (a click that submits a form SvelteKit enhances) and waits for the server's answer to
 * the action, which must be a success, then for the page data it reloads: what the page shows
 * next is what the server did, however long it took.
 */
async function formAction(page: Page, act: () => Promise<void>): Promise<void> {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('?/'));
  const reloaded = page.waitForResponse((r) => r.request().method() === 'GET' && r.url().includes('__data.json'));
  // Awaited below only on the way that reaches them (a failed action reloads nothing).
  answered.catch(() => undefined);
  reloaded.catch(() => undefined);
  await act();
  const answer = await (await answered).text();
  expect(JSON.parse(answer).type, answer).toBe('success');
  await reloaded;
}

/** Does `act` and waits for the answer of the request it makes to `path` (an API call of the page's script). */
async function apiCall(page: Page, path: string, act: () => Promise<void>): Promise<void> {
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === path);
  answered.catch(() => undefined);
  await act();
  await answered;
}

async function api<T>(path: string): Promise<T> {
  return (await (await server.fetch(path)).json()) as T;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

describe('every page', () => {
  for (const [name, path] of PAGES)
    for (const [label, width, height] of WIDTHS)
      it(`${name} renders at ${label} width, charts drawn, no errors`, async () => {
        const { page, errors } = await open(`${path}?year=2006`, width, height);
        await expect(page.locator('main h1').first()).toBeTruthy();
        expect(await page.locator('main h1').first().textContent()).toMatch(/\S/);
        await chartsDrawn(page);
        // Nothing wider than the screen: tables scroll inside their own box.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width + 1);
        await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`) });
        expect(errors).toEqual([]);
        await page.context().close();
      });
});

describe('the figures shown', () => {
  it('on the overview equal the API for the same filters', async () => {
    const [county] = await api<Record<string, number>[]>('/api/indicators?year=2006&by=county&ids=participation_rate,enrollees,inpatient_stays');
    const { page } = await open('/?year=2006');
    const card = (label: string) => page.locator(`article.kpi[aria-label="${label}"] [data-testid=kpi-value]`).textContent();
    expect(await card('参合率')).toBe(pct(county!.participation_rate!));
    expect(await card('参合人数')).toBe(grouped(county!.enrollees!));
    expect(await card('住院人次')).toBe(grouped(county!.inpatient_stays!));
    await page.context().close();
  });

  it('on the facilities page: a row per facility the API lists, with its readmissions', async () => {
    const rows = await api<{ facility_code: string; readmissions_15d: number }[]>('/api/indicators?year=2006&by=facility&ids=readmissions_15d');
    expect(rows.length).toBeGreaterThan(5);
    const { page } = await open('/facilities?year=2006');
    const table = page.locator('section.panel table.data').last();
    expect(await table.locator('tbody tr').count()).toBe(rows.length);
    const total = rows.reduce((a, r) => a + r.readmissions_15d, 0);
    expect(await page.locator('article.kpi[aria-label="15日内再入院"] [data-testid=kpi-value]').textContent()).toBe(grouped(total));
    // a facility's name opens its settlements' audit, as an officer following up would
    const name = (await table.locator('tbody tr th a, tbody tr td a').first().textContent())!.trim();
    await table.locator('tbody tr a').first().click();
    await page.waitForURL(/\/audit\?.*facility=/);
    expect(await page.locator('main h1').first().textContent()).toContain(name);
    await page.context().close();
  });

  it('on the enrolment page: renewal as the API gives it', async () => {
    const [county] = await api<{ renewal_rate: number; new_enrollees: number }[]>('/api/indicators?year=2006&by=county&ids=renewal_rate,new_enrollees');
    const { page } = await open('/enrollment?year=2006');
    expect(await page.locator('article.kpi[aria-label="续保率"] [data-testid=kpi-value]').textContent()).toBe(pct(county!.renewal_rate));
    expect(await page.locator('article.kpi[aria-label="新增参合"] [data-testid=kpi-value]').textContent()).toBe(grouped(county!.new_enrollees));
    await page.context().close();
  });

  it('in the township table of the enrolment page equal the API, row by row', async () => {
    const rows = await api<{ name: string; participation_rate: number; enrollees: number }[]>('/api/indicators?year=2005&by=township&ids=participation_rate,enrollees');
    const { page } = await open('/enrollment?year=2005');
    const table = page.locator('section.panel table.data').last();
    for (const r of rows.filter((x) => x.name)) {
      const tr = table.locator('tbody tr', { has: page.locator(`th a:text-is("${r.name}")`) });
      await expect(tr.locator('td').nth(1).textContent()).resolves.toBe(grouped(r.enrollees));
      await expect(tr.locator('td').nth(2).textContent()).resolves.toBe(pct(r.participation_rate));
    }
    await page.context().close();
  });
});

describe('navigation', () => {
  it('drills down county → township → village in one click each, keeping the year', async () => {
    const { page } = await open('/enrollment?year=2005');
    const town = page.locator('section.panel table.data').last().locator('tbody th a').first();
    const townName = await town.textContent();
    await town.click();
    await page.waitForURL(/township=\d{9}/);
    expect(page.url()).toMatch(/year=2005/);
    expect(await page.locator('main h1').textContent()).toContain(townName!);
    expect(await page.locator('table.data thead').last().textContent()).toMatch(/村.*奖励档次/s);
    const village = page.locator('section.panel table.data').last().locator('tbody th a').first();
    const villageName = await village.textContent();
    await village.click();
    await page.waitForURL(/village=\d{12}/);
    expect(await page.locator('nav.crumbs').textContent()).toContain(villageName!);
    await page.context().close();
  });

  it('changes the year from the filter, and the link says so', async () => {
    const { page } = await open('/payouts?year=2006');
    await page.selectOption('select[name=year]', '2005');
    await page.waitForURL(/year=2005/);
    expect(await page.locator('main h1').textContent()).toContain('2005');
    await page.context().close();
  });

  it('shows a readable page for a bad parameter, never a stack', async () => {
    const { page } = await open('/?year=20x6');
    expect(await page.locator('main').textContent()).toMatch(/请求未能完成（400）[\s\S]*year 应为四位年度/);
    expect(await page.content()).not.toMatch(/at .*\.js:\d+/);
    await page.context().close();
  });
});

describe('what-if', () => {
  it('simulates the county policy (coefficient ≈ 1), explains a bad policy, and the calculator equals the rules engine', async () => {
    const { page, errors } = await open('/whatif?year=2005');
    await page.click('form.whatif button[type=submit]');
    await page.waitForSelector('[data-testid=coefficient]');
    const coefficient = Number(await page.locator('[data-testid=coefficient]').textContent());
    expect(coefficient).toBeGreaterThan(0.97);
    expect(coefficient).toBeLessThan(1.03);

    const text = await page.locator('textarea[name=policy_text]').inputValue();
    const policy = parsePolicy(JSON.parse(text));
    const expected = compensate(policy, [
      { claim_id: 'c', person_id: 'p', visit_type: 'inpatient', discharge_date: '2005-06-30', total_cost: '3000.00', eligible_cost: '2600.00', level: 'township', in_county: true, designated: true, referral: false },
    ]).get('c')!;
    const shown = await page.locator('[data-testid=calc-payout]').textContent();
    expect(shown!.replace(/[,\s元]/g, '')).toBe(yuan(expected));

    await page.fill('textarea[name=policy_text]', text.replace(/"year": \d+/, '"year": "二〇〇五"'));
    await page.click('form.whatif button[type=submit]');
    await page.waitForSelector('.notice.bad li');
    expect(await page.locator('.notice.bad').textContent()).toMatch(/year/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('data quality', () => {
  it('loads an uploaded file and shows the import summary; a file without a required column is rejected with its reason', async () => {
    const { page } = await open('/quality?year=2006');
    const bad = join(dir, 'his-补报.csv');
    await writeFile(bad, '结算单号,身份证号\nX1,410523198001010011\n');
    await page.selectOption('select[name=kind]', 'his');
    await page.setInputFiles('input[name=file]', bad);
    await page.click('form.upload button[type=submit]');
    await page.waitForSelector('[role=status] table');
    const summary = await page.locator('[role=status]').textContent();
    expect(summary).toContain('his/his-补报.csv');
    expect(summary).toMatch(/拒收[\s\S]*缺少/);
    await page.context().close();
  });

  it('on the report page: the quarter picked, its figures as the API gives them, and the Word file downloaded', async () => {
    const { page } = await open('/reports?year=2006');
    const [county] = await api<{ participation_rate: number }[]>('/api/indicators?year=2006&by=county&ids=participation_rate');
    expect(await page.locator('.ncms-report h2 + p').first().textContent()).toContain(`参合率 ${pct(county!.participation_rate)}`);
    await page.locator('select[name=period]').selectOption('2006Q1');
    await page.waitForURL(/period=2006Q1/);
    expect(await page.locator('.ncms-report .subtitle').textContent()).toContain('2006年第一季度');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.downloads a', { hasText: 'Word' }).click()]);
    const file = await readFile((await download.path())!);
    expect(file.subarray(0, 2).toString()).toBe('PK');
    expect(download.suggestedFilename()).toMatch(/2006年第一季度\.docx$/);
    await page.context().close();
  });

  it('reviews and sends a report; the archived file matches the hash recorded', async () => {
    const { page, errors } = await open('/reports?year=2006&period=2006Q2');
    const panel = page.locator('section.signoff');
    expect(await panel.locator('.badge').textContent()).toBe('未审核');
    expect(await panel.locator('button', { hasText: /^上报$/ }).isDisabled()).toBe(true);
    await panel.locator('input[name=by]').fill('王会计');
    await formAction(page, () => panel.locator('button', { hasText: /^审核$/ }).click());
    await expect.poll(() => panel.locator('.badge').textContent(), { timeout: PAGE_WAIT }).toBe('已审核');
    await panel.locator('input[name=by]').fill('赵主任');
    // Sending archives the PDF, Word and Excel files: the answer comes once they are written.
    await formAction(page, () => panel.locator('button', { hasText: /^上报$/ }).click());
    await expect.poll(() => panel.locator('.badge').textContent(), { timeout: PAGE_WAIT }).toBe('已上报');
    expect(await panel.locator('[role=status]').first().textContent()).toContain('上报完成：赵主任（office）');
    await panel.locator('summary', { hasText: '审核上报记录' }).click();
    const href = (await panel.locator('.history a', { hasText: 'PDF' }).getAttribute('href'))!;
    const res = await server.fetch(href);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.headers.get('x-content-sha256')).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(await panel.locator('.history').textContent()).toContain(res.headers.get('x-content-sha256'));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('answers "out-of-county payouts in one township, quarter by quarter" without code, and exports it', async () => {
    const [town] = await api<{ division_code: string }[]>('/api/indicators?year=2006&by=township&ids=inpatient_payout');
    const { page, errors } = await open(`/query?year=2006&township=${town!.division_code}`);
    await page.locator('select[name=breakdown]').selectOption('in_county');
    await page.waitForURL(/breakdown=in_county/);
    await chartsDrawn(page);
    expect(await page.locator('.chart .title').first().textContent()).toContain('住院补偿');
    await page.locator('figure.chart button', { hasText: '查看数据' }).first().click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button', { hasText: '导出 CSV' }).first().click()]);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    const q2 = csv.find((r) => r[0] === '2006Q2' && r[2] === '县域外')!;
    // Independently, in SQL over the claims: the township's enrolees' out-of-county stays discharged in 2006 Q2.
    const res = await server.fetch('/api/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: `SELECT sum(reimbursed)::VARCHAR FROM analytics_claims WHERE year = 2006 AND enrolled AND visit_type = 'inpatient' AND NOT in_county AND village_code LIKE '${town!.division_code}%' AND quarter(discharge_date) = 2` }),
    });
    expect(q2[3]).toBe(((await res.json()) as { rows: string[][] }).rows[0]![0]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs analyst SQL, says plainly when it is refused, and saves a query for the office', async () => {
    const { page, errors } = await open('/query?year=2006&tab=sql');
    expect(await page.locator('.schema summary').count()).toBeGreaterThan(10);
    await page.locator('#sql').fill('SELECT visit_type, count(*) AS n FROM claims GROUP BY ALL ORDER BY ALL');
    await apiCall(page, '/api/query', () => page.locator('button', { hasText: /^运行$/ }).click());
    await expect.poll(() => page.locator('.editor [role=status]').textContent(), { timeout: PAGE_WAIT }).toMatch(/^2 行/);
    expect(await page.locator('.result tbody tr').first().textContent()).toContain('inpatient');
    await page.locator('#sql').fill("SELECT * FROM read_csv('/etc/passwd')");
    await apiCall(page, '/api/query', () => page.locator('#sql').press('Control+Enter'));
    await expect.poll(() => page.locator('.editor [role=alert]').textContent(), { timeout: PAGE_WAIT }).toMatch(/^已拒绝：/);
    await page.locator('#sql').fill('SELECT 1 AS one');
    await page.locator('input[name=title]').fill('测试查询');
    await formAction(page, () => page.locator('button', { hasText: '保存当前 SQL' }).click());
    await expect.poll(() => page.locator('.saved-list li').first().textContent(), { timeout: PAGE_WAIT }).toContain('测试查询');
    // Saved as the signed-in account, not a name typed in.
    expect(await page.locator('.saved-list li').first().textContent()).toContain('office');
    // The refusal is a 400 answer, which Chromium logs as a failed resource; nothing else may be.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('shows the 公示 list of a village masked and downloads it as PDF', async () => {
    const [town] = await api<{ division_code: string }[]>('/api/indicators?year=2006&by=township&ids=inpatient_payout');
    const { page, errors } = await open(`/reports/disclosure?year=2006&township=${town!.division_code}&month=2006-03`);
    const list = page.locator('.paper table tbody tr');
    expect(await list.count()).toBeGreaterThan(0);
    const ids = await page.locator('.paper table tbody td:nth-child(3)').allTextContents();
    for (const id of ids) expect(id).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const names = await page.locator('.paper table tbody td:nth-child(2)').allTextContents();
    expect(names.every((n) => n.length <= 1 || n.includes('*'))).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.downloads a', { hasText: 'PDF' }).click()]);
    const pdf = await readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/住院补偿公示-2006-03\.pdf$/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('filters the audit log by action, as an administrator reads it', async () => {
    const { page, errors } = await open('/admin/audit-log');
    await page.locator('select[name=action]').selectOption('login');
    await page.locator('button', { hasText: '筛选' }).click();
    await page.waitForURL(/action=login/);
    const actions = await page.locator('table.data tbody td:nth-child(3)').allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    expect([...new Set(actions)]).toEqual(['登录']);
    expect(await page.locator('table.data caption').textContent()).toMatch(/^共 \d+ 条$/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('exports a chart table as CSV with a BOM', async () => {
    const { page } = await open('/?year=2006');
    await page.locator('figure.chart button', { hasText: '查看数据' }).first().click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button', { hasText: '导出 CSV' }).first().click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.split('\r\n')[0]).toMatch(/乡镇/);
    await page.context().close();
  });
});

describe('an empty database', () => {
  it('shows what to do next instead of a blank page', async () => {
    const db = join(dir, 'empty.duckdb');
    const made = ncmsIn(dir)(['refresh', '--db', db]);
    expect(made.code, made.stderr).toBe(0);
    addAccount(dir, db, 'office', 'admin', 'a-long-password-1');
    // Started as every server of these tests is: once it says it is ready (its first refresh,
    // which builds the county's policy years for an empty database, has ended).
    const empty = await startServer(dir, db);
    try {
      const [name, value] = (await signInCookie(empty.url, 'office', 'a-long-password-1')).split('=') as [string, string];
      for (const [label, width, height] of WIDTHS) {
        const ctx = await browser.newContext({ viewport: { width, height } });
        ctx.setDefaultTimeout(PAGE_WAIT);
        await ctx.addCookies([{ name, value, url: empty.url }]);
        const page = await ctx.newPage();
        await page.goto(`${empty.url}/`);
        expect(await page.locator('main').textContent()).toMatch(/尚无.*数据[\s\S]*ncms ingest/);
        await page.screenshot({ path: join(SHOTS, `empty-${label}.png`) });
        await page.goto(`${empty.url}/quality`);
        expect(await page.locator('form.upload').count()).toBe(1);
        await ctx.close();
      }
    } finally {
      await empty.stop();
    }
  });
});
