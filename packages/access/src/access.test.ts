import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch, rows, type DuckDBConnection } from '@ncms/warehouse';
import {
  ABSOLUTE_MS, IDLE_MS, PER_ACCOUNT, PER_ADDRESS, SessionStore, SignInThrottle, WINDOW_MS, addUser, can, checkSignIn, currentUser, listUsers, logEvent,
  maskIdNumbers, oneTimePassword, readAuditLog, scopeUnits, setDisabled, setPassword, OutOfScopeError, type Principal,
} from './index.ts';

let db: Awaited<ReturnType<typeof openScratch>>;
let conn: DuckDBConnection;
beforeAll(async () => {
  db = await openScratch();
  conn = db.conn;
  // Township 410523100 exists (a village of it in the census); 410523199 does not.
  await conn.run(`INSERT INTO census (year, division_code, township_name, village_name, agricultural_population, batch_id, source_line, row_hash) VALUES (2005, '410523100201', '城关镇', '东关村', 800, 1, 1, 1)`);
});
afterAll(() => db?.close());

describe('accounts', () => {
  it('stores argon2id hashes, never the password, and signs in only with the right one', async () => {
    await addUser(conn, { username: 'wang', role: 'township', township: '410523100', password: 'correct horse 1' });
    const [stored] = await rows<{ h: string }>(conn, `SELECT password_hash AS h FROM app_user WHERE username = 'wang'`);
    expect(stored!.h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored!.h).not.toContain('correct horse');
    expect(await checkSignIn(conn, 'wang', 'correct horse 1')).toEqual({ username: 'wang', role: 'township', township: '410523100', via: 'session' });
    expect(await checkSignIn(conn, 'wang', 'correct horse 2')).toBeUndefined();
    expect(await checkSignIn(conn, 'nobody', 'correct horse 1')).toBeUndefined();
  });

  it('refuses bad accounts, naming the field', async () => {
    const bad = [
      [{ username: 'x', role: 'admin', password: 'long enough 123' }, 'username'],
      [{ username: 'li', role: 'boss', password: 'long enough 123' }, 'role'],
      [{ username: 'li', role: 'township', password: 'long enough 123' }, 'township'],
      [{ username: 'li', role: 'leader', township: '410523100', password: 'long enough 123' }, 'township'],
      [{ username: 'li', role: 'township', township: '410523199', password: 'long enough 123' }, 'township'],
      [{ username: 'li', role: 'leader', password: 'short' }, 'password'],
      [{ username: 'li', role: 'leader', password: 'li-password-1' }, 'password'],
      // The red team's passwords (10 characters), and common ones of 12 or more from zxcvbn's lists.
      [{ username: 'li', role: 'leader', password: '1234567890' }, 'password'],
      [{ username: 'li', role: 'leader', password: 'password12' }, 'password'],
      [{ username: 'li', role: 'leader', password: 'password1234' }, 'password'],
      [{ username: 'li', role: 'leader', password: '123456789012' }, 'password'],
      [{ username: 'li', role: 'leader', password: 'qwertyuiop123' }, 'password'],
      [{ username: 'li', role: 'leader', password: 'iloveyou1234' }, 'password'],
      [{ username: 'wang', role: 'leader', password: 'long enough 123' }, 'username'],
    ] as const;
    for (const [u, field] of bad) await expect(addUser(conn, u), JSON.stringify(u)).rejects.toMatchObject({ field });
    expect((await listUsers(conn)).map((u) => u.username)).toEqual(['wang']);
    await expect(addUser(conn, { username: 'li', role: 'leader', password: 'password1234' })).rejects.toThrow(/常见/);
    await expect(addUser(conn, { username: 'li', role: 'township', township: '410523199', password: 'long enough 123' })).rejects.toThrow(/没有区划代码为 410523199 的乡镇/);
    // An uncommon one of 12 characters passes.
    await addUser(conn, { username: 'li', role: 'township', township: '410523100', password: 'long enough 123' });
    await setDisabled(conn, 'li', true);
  });

  it('a disabled account cannot sign in; a one-time password must be changed', async () => {
    const once = oneTimePassword();
    expect(once).toMatch(/^[A-HJ-NP-Za-km-np-z2-9]{16}$/);
    await addUser(conn, { username: 'admin', role: 'admin', password: once, mustChange: true });
    expect(await checkSignIn(conn, 'admin', once)).toMatchObject({ role: 'admin', mustChange: true });
    await setPassword(conn, 'admin', 'a new long secret');
    expect(await checkSignIn(conn, 'admin', once)).toBeUndefined();
    expect((await checkSignIn(conn, 'admin', 'a new long secret'))?.mustChange).toBeUndefined();
    await setDisabled(conn, 'admin', true);
    expect(await checkSignIn(conn, 'admin', 'a new long secret')).toBeUndefined();
    expect(await currentUser(conn, 'admin')).toBeUndefined();
    await setDisabled(conn, 'admin', false);
    expect(await currentUser(conn, 'admin')).toEqual({ username: 'admin', role: 'admin' });
  });
});

describe('roles and scope', () => {
  const officer: Principal = { username: 'wang', role: 'township', township: '410523100', via: 'session' };
  const leader: Principal = { username: 'zhao', role: 'leader', via: 'session' };

  it('gives each role its capabilities only', () => {
    expect(['admin', 'leader', 'township', 'analyst', 'auditor'].filter((r) => can({ role: r as Principal['role'] }, 'personalData'))).toEqual(['admin', 'auditor']);
    expect(['admin', 'leader', 'township', 'analyst', 'auditor'].filter((r) => can({ role: r as Principal['role'] }, 'sqlConsole'))).toEqual(['admin', 'analyst']);
    expect(can(undefined, 'signOff')).toBe(false);
  });

  it('masks ID numbers inside any text (logs, messages)', () => {
    expect(maskIdNumbers('bad value 11010519491231002X in row 3; 410523198001010011.')).toBe('bad value 110105********002X in row 3; 410523********0011.');
    expect(maskIdNumbers('claim 12345678901234567890 and 2005-03-01')).toBe('claim 12345678901234567890 and 2005-03-01');
    expect(maskIdNumbers('rate 0.410523198001010011')).toBe('rate 0.410523198001010011');
  });

  it('keeps a township officer inside the township: their own by default, another refused', () => {
    expect(scopeUnits(officer, {})).toEqual({ township: '410523100' });
    expect(scopeUnits(officer, { village: '410523100201' })).toEqual({ township: '410523100', village: '410523100201' });
    expect(() => scopeUnits(officer, { township: '410523101' })).toThrow(OutOfScopeError);
    expect(() => scopeUnits(officer, { village: '410523101201' })).toThrow(expect.objectContaining({ param: 'village' }));
    expect(scopeUnits(leader, { township: '410523101' })).toEqual({ township: '410523101' });
  });
});

describe('sessions and throttling', () => {
  it('ends a session idle for 30 minutes or older than 8 hours, and on sign-out', () => {
    let t = 0;
    const s = new SessionStore(() => t);
    const a = s.create('wang');
    t += IDLE_MS - 1;
    expect(s.use(a)).toBe('wang');
    t += IDLE_MS + 1;
    expect(s.use(a)).toBeUndefined();
    const b = s.create('wang');
    const start = t;
    // Active every quarter of an hour, the session still ends 8 hours after sign-in.
    for (; t - start <= ABSOLUTE_MS; t += IDLE_MS / 2) expect(s.use(b)).toBe('wang');
    expect(s.use(b)).toBeUndefined();
    const c = s.create('li');
    const d = s.create('li');
    s.end(c);
    expect(s.use(c)).toBeUndefined();
    s.endAll('li');
    expect(s.use(d)).toBeUndefined();
    expect(s.use('forged-token')).toBeUndefined();
  });

  it('refuses an account after 5 failures and an address after 20, for the window', () => {
    let t = 0;
    const th = new SignInThrottle(() => t);
    for (let i = 0; i < PER_ACCOUNT; i++) th.failed('wang', '10.0.0.1');
    expect(th.wait('wang', '10.0.0.2')).toBe(WINDOW_MS / 1000);
    expect(th.wait('li', '10.0.0.1')).toBe(0);
    t += WINDOW_MS;
    expect(th.wait('wang', '10.0.0.2')).toBe(0);
    for (let i = 0; i < PER_ADDRESS; i++) th.failed(`user${i}`, '10.0.0.9');
    expect(th.wait('someone', '10.0.0.9')).toBeGreaterThan(0);
    th.succeeded('user0');
    expect(th.wait('user0', '10.0.0.8')).toBe(0);
  });

  it('counts an attempt when it arrives, before its password is checked: a burst gets 5 checks', () => {
    const th = new SignInThrottle(() => 0);
    // 12 attempts arrive before any hash is done: the first 5 are checked, the other 7 wait.
    const waits = Array.from({ length: 12 }, () => th.attempt('zhao', '10.0.0.3'));
    expect(waits.filter((w) => w === 0)).toHaveLength(PER_ACCOUNT);
    expect(waits.filter((w) => w === WINDOW_MS / 1000)).toHaveLength(12 - PER_ACCOUNT);
    // A success takes its own attempt back from the address and clears the account.
    const t2 = new SignInThrottle(() => 0);
    for (let i = 0; i < PER_ADDRESS - 1; i++) t2.attempt(`u${i}`, '10.0.0.4');
    expect(t2.attempt('qian', '10.0.0.4')).toBe(0);
    t2.succeeded('qian', '10.0.0.4');
    expect(t2.wait('qian', '10.0.0.4')).toBe(0);
    expect(t2.attempt('sun', '10.0.0.4')).toBe(0);
    expect(t2.wait('zhou', '10.0.0.4')).toBeGreaterThan(0);
  });
});

describe('audit log', () => {
  it('appends events and reads them newest first, filtered', async () => {
    await logEvent(conn, { username: 'wang', action: 'login', address: '10.0.0.1' });
    await logEvent(conn, { username: null, action: 'login_failed', detail: 'account: li', address: '10.0.0.2' });
    await logEvent(conn, { username: 'wang', action: 'export', detail: '/api/query/export csv' });
    const all = await readAuditLog(conn);
    expect(all.total).toBe(3);
    expect(all.rows.map((r) => r.action)).toEqual(['export', 'login_failed', 'login']);
    expect((await readAuditLog(conn, { username: 'wang' })).rows.map((r) => r.action)).toEqual(['export', 'login']);
    expect((await readAuditLog(conn, { action: 'login_failed' })).rows[0]).toMatchObject({ detail: 'account: li', address: '10.0.0.2' });
  });

  it('masks ID numbers typed into SQL before they are stored', async () => {
    await logEvent(conn, { username: 'zhao', action: 'sql_query', detail: "SELECT * FROM claims WHERE person_id = '41052319800101001x' OR person_id IN ('110105194912310021')" });
    const [stored] = await rows<{ detail: string }>(conn, `SELECT detail FROM audit_log WHERE action = 'sql_query'`);
    expect(stored!.detail).toBe("SELECT * FROM claims WHERE person_id = '410523********001x' OR person_id IN ('110105********0021')");
  });
});
