/**
 * The HTTP contract (spec/api.md) against the real server: `ncms serve` in its own process on a
 * generated county, asked over loopback as a script or the command line would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { openWarehouse } from '@ncms/warehouse';
import { resetAnalytics } from '@ncms/analytics';
import { freePort, ncmsIn, sharedSmallCounty, startServer, type RunningServer } from '../../../packages/cli/test/support.ts';

let dir: string;
let db: string;
let server: RunningServer;
/** What `ncms indicators --format json` printed before the server took the database. */
let cliTownships2005: unknown[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-api-'));
  db = await (await sharedSmallCounty(dir)).loaded(dir, 'api');
  const r = ncmsIn(dir)(['indicators', '--db', db, '--year', '2005', '--by', 'township', '--format', 'json', '--policies', join(import.meta.dirname, '../../../packages/sample-county/policies')]);
  cliTownships2005 = JSON.parse(r.stdout);
  // The same county as an upgraded database whose analytics tables are still to be built.
  await copyFile(db, join(dir, 'unbuilt.duckdb'));
  const unbuilt = await openWarehouse(join(dir, 'unbuilt.duckdb'));
  await unbuilt.write(resetAnalytics);
  unbuilt.close();
  server = await startServer(dir, db);
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => server.fetch(path, init);

describe('GET /healthz', () => {
  it('answers ok and nothing else', async () => {
    const r = await get('/healthz');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('ok');
  });

  it('with ?ready, answers ok once the refresh the server started with has ended', async () => {
    const r = await fetch(`${server.url}/healthz?ready`);
    expect([r.status, await r.text()]).toEqual([200, 'ok']);
  });
});

describe('GET /api/indicators', () => {
  it('gives the rows of ncms indicators --format json (township by default), ids as keys', async () => {
    const r = await get('/api/indicators?year=2005');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual(cliTownships2005);
  });

  it('keeps the units inside a township and gives the same rows as Arrow IPC when asked', async () => {
    const inside = (await (await get('/api/indicators?year=2005&by=village&township=410523101')).json()) as Record<string, unknown>[];
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.every((r) => String(r.division_code).startsWith('410523101') && r.level === 'village')).toBe(true);
    const json = (await (await get('/api/indicators?year=2005&by=village')).json()) as Record<string, unknown>[];
    expect(json.length).toBeGreaterThan(inside.length);
    const r = await get('/api/indicators?year=2005&by=village', { headers: { accept: 'application/vnd.apache.arrow.stream' } });
    expect(r.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await r.arrayBuffer()));
    expect(table.numRows).toBe(json.length);
    expect(table.schema.fields.map((f) => f.name)).toEqual(Object.keys(json[0]!));
    for (let i = 0; i < json.length; i++) {
      const row = table.get(i)!.toJSON() as Record<string, unknown>;
      expect(row.division_code).toBe(json[i]!.division_code);
      expect(row.funds_raised ?? null).toBe(json[i]!.funds_raised); // money: the same exact text
      expect(row.enrollees).toBe(json[i]!.enrollees);
      expect(row.participation_rate ?? null).toBe(json[i]!.participation_rate);
    }
  });

  it('refuses bad parameters with 400 bad_param naming the parameter', async () => {
    for (const [query, param] of [
      ['', 'year'],
      ['year=20x5', 'year'],
      ['year=2005&by=province', 'by'],
      ['year=2005&township=41', 'township'],
      ['year=2005&ids=no_such_thing', 'ids'],
      ['year=2005&period=2005-13', 'period'],
    ] as const) {
      const r = await get(`/api/indicators?${query}`);
      expect(r.status, query).toBe(400);
      const body = (await r.json()) as { error: string; code: string; param: string };
      expect(body.code).toBe('bad_param');
      expect(body.param).toBe(param);
      expect(body.error).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('GET /api/series', () => {
  it('gives the monthly series of a level and refuses a missing kind', async () => {
    const rows = (await (await get('/api/series?year=2005&kind=monthly&by=county')).json()) as { month: string; payouts_total: string }[];
    expect(rows.map((r) => r.month)).toEqual([...rows.map((r) => r.month)].sort());
    expect(rows.every((r) => /^2005-\d\d$/.test(r.month) && /^\d+\.\d\d$/.test(r.payouts_total))).toBe(true);
    expect((await get('/api/series?year=2005')).status).toBe(400);
  });

  it('gives the insurer\'s monthly pre-settlement under a policy that has one, and says when the year\'s has none', async () => {
    const none = await get('/api/series?year=2005&kind=insurer');
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ code: 'bad_param', param: 'series' });
    const policy = JSON.parse(await readFile(join(import.meta.dirname, '../../../packages/sample-county/policies/pilot-2005.json'), 'utf8'));
    policy.insurer = { per_capita_target: 30, bands: [{ upTo: null, share: 0.5 }], limit_share_of_premium: 0.1, presettle_share: 0.4 };
    const r = await get('/api/series?year=2005&kind=insurer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ policy_text: JSON.stringify(policy) }) });
    expect(r.status).toBe(200);
    const months = (await r.json()) as { month: string; premium_to_date: string; pooled_payouts_to_date: string; presettled_to_date: string }[];
    expect(months.map((m) => m.month)).toEqual(Array.from({ length: 12 }, (_, i) => `2005-${String(i + 1).padStart(2, '0')}`));
    expect(months[0]!.presettled_to_date).toBe('0.00'); // pre-settled from the second month on
    const [county] = (await (await get('/api/indicators?year=2005&by=county&ids=enrollees')).json()) as { enrollees: number }[];
    // the seeds' schedule: a twelfth in January, then + each month's payouts, never above the premium
    const fen = (x: string) => Math.round(Number(x) * 100);
    const premium = county!.enrollees * 30 * 100;
    expect(fen(months[0]!.premium_to_date)).toBe(Math.round(premium / 12));
    const december = Math.min(premium, fen(months[0]!.premium_to_date) + fen(months[11]!.pooled_payouts_to_date) - fen(months[0]!.pooled_payouts_to_date));
    expect(fen(months[11]!.premium_to_date)).toBe(december);
  });
});

describe('GET /api/indicators?by=facility', () => {
  it('gives a row per facility with the supervision figures', async () => {
    const rows = (await (await get('/api/indicators?year=2005&by=facility&ids=inpatient_stays,readmissions_15d,payout_share')).json()) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(3);
    expect(Object.keys(rows[0]!)).toEqual(['year', 'level', 'facility_code', 'name', 'facility_level', 'in_county', 'designated', 'inpatient_stays', 'readmissions_15d', 'payout_share']);
    const share = rows.reduce((a, r) => a + Number(r.payout_share ?? 0), 0);
    expect(share).toBeCloseTo(1, 9); // every payout of the county is some facility's
  });
});

describe('GET /api/audit', () => {
  it('pages the audit, largest difference first, persons masked, at most 1,000 rows', async () => {
    const all = (await (await get('/api/audit?year=2004&limit=1000')).json()) as { total: number; rows: { difference: string; person_id: string; name: string | null }[] };
    expect(all.total).toBeGreaterThanOrEqual(2);
    const diffs = all.rows.map((r) => Number(r.difference));
    expect(diffs).toEqual([...diffs].sort((a, b) => b - a));
    expect(all.rows.every((r) => r.person_id.includes('*'))).toBe(true);
    const page = (await (await get('/api/audit?year=2004&offset=1&limit=1&sort=difference')).json()) as typeof all;
    expect(page.total).toBe(all.total);
    expect(page.rows.map((r) => r.difference)).toEqual([...all.rows].reverse().slice(1, 2).map((r) => r.difference));
    const tooMany = await get('/api/audit?year=2004&limit=5000');
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { param: string }).param).toBe('limit');
  });
});

describe('errors', () => {
  it('are JSON with a code for an unknown API path', async () => {
    const r = await get('/api/no-such-thing');
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ code: 'not_found' });
  });

  it('a server that cannot read its database: /healthz 503, the API 503 unavailable, pages say so', async () => {
    const port = await freePort();
    const build = join(import.meta.dirname, '..', 'build', 'index.js');
    const proc = spawn(process.execPath, [build], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NCMS_DB: join(dir, 'missing.duckdb'), NCMS_SCHEDULES: 'off' }, stdio: 'ignore' });
    try {
      const url = `http://127.0.0.1:${port}`;
      // Until it listens (it opens nothing, but a busy machine makes it slow to start).
      while (!(await fetch(`${url}/healthz`).then(() => true, () => false))) {
        expect(proc.exitCode, 'the server ended').toBeNull();
        await new Promise((r) => setTimeout(r, 100));
      }
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.text()).not.toMatch(/missing\.duckdb|\//);
      const api = await fetch(`${url}/api/indicators?year=2005`);
      expect(api.status).toBe(503);
      expect(await api.json()).toMatchObject({ code: 'unavailable' });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toMatch(/暂时无法读取数据/);
    } finally {
      proc.kill('SIGTERM');
    }
  });
});

describe('a server whose analytics tables are still being built', () => {
  it('answers 503 unavailable with Retry-After and says which year is in hand, never a failure, then the figures', async () => {
    const building = await startServer(dir, join(dir, 'unbuilt.duckdb'), [], { ready: false });
    try {
      const answers: { status: number; body: string; retry: string | null; ready: [number, string]; health: [number, string] }[] = [];
      const text = async (path: string): Promise<[number, string]> => {
        const r = await fetch(building.url + path);
        return [r.status, await r.text()];
      };
      let page = '';
      // Asked in this order, readiness comes before the figures: a 503 for the figures means the
      // refresh was still under way when readiness was asked (it began before the server listened).
      for (;;) {
        const ready = await text('/healthz?ready');
        const health = await text('/healthz');
        const r = await building.fetch('/api/indicators?year=2005');
        answers.push({ status: r.status, body: await r.text(), retry: r.headers.get('retry-after'), ready, health });
        if (answers.length === 1) {
          const p = await building.fetch('/enrollment?year=2005');
          expect(p.status).toBe(200);
          page = await p.text();
        }
        if (ready[0] === 200) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      const waits = answers.filter((a) => a.status === 503);
      // The server starts refreshing before it listens: the first answers come while 2004 is computed.
      expect(waits.length).toBeGreaterThan(0);
      expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
      for (const w of waits) {
        expect(JSON.parse(w.body)).toMatchObject({ code: 'unavailable', error: expect.stringMatching(/^分析表正在生成：(200[45] 年计算中（[12]\/2），)?完成后即可查看/) });
        expect(w.retry).toBe('30');
        // Readiness said so; /healthz alone keeps its contract (the database can be read).
        expect(w.ready).toEqual([503, 'preparing']);
        expect(w.health).toEqual([200, 'ok']);
      }
      // The page asked while the first answer was 503 says the same, or (the refresh done) shows figures.
      expect(page).toMatch(/分析表正在生成|参合率/);
      // While it waits, the page looks again by itself.
      if (page.includes('分析表正在生成')) expect(page).toMatch(/<meta http-equiv="refresh" content="15"\s*\/?>/);
      // Asked once the server said it was ready: the figures.
      expect(answers.at(-1)!.ready).toEqual([200, 'ok']);
      expect(JSON.parse(answers.at(-1)!.body)).toEqual(cliTownships2005);
    } finally {
      await building.stop();
    }
  });
});

describe('POST /api/export/xlsx', () => {
  it('turns a page table into a workbook with numbers stored as numbers', async () => {
    const r = await get('/api/export/xlsx', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: '各乡镇参合率',
        columns: [
          { key: 'name', label: '乡镇', unit: 'text' },
          { key: 'rate', label: '参合率', unit: 'rate' },
          { key: 'money', label: '基金支出', unit: 'yuan' },
        ],
        rows: [{ name: '城关镇', rate: 0.8532, money: '12345.60' }],
      }),
    });
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as never);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).values).toEqual([undefined, '乡镇', '参合率', '基金支出（元）']);
    expect(ws.getRow(3).values).toEqual([undefined, '城关镇', 0.8532, 12345.6]);
    expect(ws.getColumn(2).numFmt).toBe('0.0%');
    expect((await get('/api/export/xlsx', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
  });
});

describe('POST /api/query and its export', () => {
  const post = (path: string, body: unknown) => get(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const SQL = `SELECT year, visit_type, count(*) AS claims, sum(reimbursed) AS paid FROM analytics_claims WHERE year = 2005 GROUP BY ALL ORDER BY visit_type`;

  it('answers columns and rows over the masked snapshot; refusals and errors are 400 with their code', async () => {
    const r = await post('/api/query', { sql: SQL, limit: 10 });
    expect(r.status).toBe(200);
    const a = (await r.json()) as { columns: { name: string; type: string }[]; rows: unknown[][]; truncated: boolean; elapsed_ms: number };
    expect(a.columns.map((c) => c.name)).toEqual(['year', 'visit_type', 'claims', 'paid']);
    expect(a.truncated).toBe(false);
    // Independently: the same claims counted through the indicator API (stays + visits of enrolees).
    const [county] = (await (await get('/api/indicators?year=2005&by=county&ids=inpatient_stays,outpatient_visits')).json()) as { inpatient_stays: number; outpatient_visits: number }[];
    const enrolled = await (await post('/api/query', { sql: `SELECT visit_type, count(*) AS n FROM analytics_claims WHERE year = 2005 AND enrolled GROUP BY ALL ORDER BY visit_type` })).json();
    expect(enrolled.rows).toEqual([['inpatient', county!.inpatient_stays], ['outpatient', county!.outpatient_visits]]);

    for (const [sql, code] of [
      ['DELETE FROM claims', 'refused'],
      ["SELECT * FROM read_csv('/etc/passwd')", 'refused'],
      ['SELECT no_such_column FROM claims', 'sql_error'],
    ] as const) {
      const bad = await post('/api/query', { sql });
      expect(bad.status, sql).toBe(400);
      const body = (await bad.json()) as { code: string; error: string };
      expect(body.code, sql).toBe(code);
      expect(body.error, sql).toMatch(/[\u4e00-\u9fff]|Binder Error/);
    }
    const missing = await post('/api/query', {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'bad_param', param: 'sql' });
  });

  it('exports the result as CSV with a BOM, XLSX, Parquet and Arrow holding the same figures', async () => {
    const shown = (await (await post('/api/query', { sql: SQL })).json()) as { rows: [number, string, number, string][] };
    const file = async (format: string) => {
      const r = await post('/api/query/export', { sql: SQL, format });
      expect(r.status, format).toBe(200);
      expect(r.headers.get('x-truncated')).toBe('false');
      return Buffer.from(await r.arrayBuffer());
    };
    const csv = (await file('csv')).toString('utf8');
    expect(csv.startsWith('\uFEFFyear,visit_type,claims,paid\r\n')).toBe(true);
    expect(csv.trim().split('\r\n').slice(1)).toEqual(shown.rows.map((r) => r.join(',')));

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await file('xlsx')) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(2).values).toEqual([undefined, 2005, shown.rows[0]![1], shown.rows[0]![2], Number(shown.rows[0]![3])]);

    const arrow = tableFromIPC(await file('arrow'));
    expect(arrow.numRows).toBe(shown.rows.length);
    expect(arrow.getChild('paid')!.toArray()).toEqual(shown.rows.map((r) => r[3]));

    // Parquet read back by DuckDB itself: types kept (money as DECIMAL), values equal.
    const parquet = join(dir, 'result.parquet');
    await writeFile(parquet, await file('parquet'));
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const back = (await duck.runAndReadAll(`SELECT typeof(paid) AS t, paid::VARCHAR AS paid FROM '${parquet}' ORDER BY visit_type`)).getRowObjectsJS();
    duck.closeSync();
    expect(back.map((r) => r.paid)).toEqual(shown.rows.map((r) => r[3]));
    expect(String(back[0]!.t)).toMatch(/^DECIMAL\(\d+,2\)$/);

    const refused = await post('/api/query/export', { sql: 'COPY claims TO \'/tmp/x.csv\'', format: 'csv' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe('refused');
    const badFormat = await post('/api/query/export', { sql: SQL, format: 'pdf' });
    expect(await badFormat.json()).toMatchObject({ code: 'bad_param', param: 'format' });
  });
});
