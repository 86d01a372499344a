/**
 * Accounts in the warehouse (migration 014): add, list, disable, change a password, and check a
 * sign-in. Every change is checked here, so the command line and the server refuse alike.
 */
import { randomUUID } from 'node:crypto';
import { rows, type DuckDBConnection } from '@ncms/warehouse';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { ROLE_CODES, type Principal, type Role } from './roles.ts';

export interface UserRow {
  username: string;
  role: Role;
  township: string | null;
  /** The township's name in the latest census that has it (null when the census does not know the code). */
  townshipName: string | null;
  mustChange: boolean;
  disabled: boolean;
  createdAt: string;
}

/** A change refused, with the field to fix. */
export class AccountError extends Error {
  constructor(
    readonly field: 'username' | 'role' | 'township' | 'password',
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

const USERNAME = /^[A-Za-z0-9_.-]{2,32}$/;

export function listUsers(conn: DuckDBConnection): Promise<UserRow[]> {
  return rows<UserRow>(
    conn,
    `SELECT u.username, u.role, u.township, t.name AS "townshipName", u.must_change AS "mustChange", u.disabled,
            strftime(u.created_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M') AS "createdAt"
     FROM app_user u
     LEFT JOIN (SELECT left(division_code, 9) AS code, arg_max(township_name, year) AS name FROM census GROUP BY ALL) t ON t.code = u.township
     ORDER BY u.username`,
  );
}

export async function countUsers(conn: DuckDBConnection): Promise<number> {
  return (await rows<{ n: number }>(conn, 'SELECT count(*)::INTEGER AS n FROM app_user'))[0]!.n;
}

export async function addUser(conn: DuckDBConnection, u: { username: string; role: string; township?: string; password: string; mustChange?: boolean }): Promise<void> {
  if (!USERNAME.test(u.username)) throw new AccountError('username', '用户名应为 2–32 个字母、数字或 _ . -');
  if (!(ROLE_CODES as readonly string[]).includes(u.role)) throw new AccountError('role', `角色应为 ${ROLE_CODES.join('、')} 之一 (got "${u.role}")`);
  if ((u.role === 'township') !== (u.township !== undefined)) throw new AccountError('township', u.role === 'township' ? '乡镇经办须指定乡镇 (--township 9 位区划代码)' : '只有乡镇经办 (township) 才指定乡镇');
  if (u.township !== undefined && !/^\d{9}$/.test(u.township)) throw new AccountError('township', `乡镇应为 9 位区划代码 (got "${u.township}")`);
  if (u.township !== undefined && !(await townshipExists(conn, u.township)))
    throw new AccountError('township', `没有区划代码为 ${u.township} 的乡镇：请先载入人口普查或参合名册，再为该乡镇建账号 (no such township in the loaded data)`);
  const problem = passwordProblem(u.password, u.username);
  if (problem) throw new AccountError('password', problem);
  const [taken] = await rows(conn, 'SELECT 1 FROM app_user WHERE username = $1', [u.username]);
  if (taken) throw new AccountError('username', `用户 ${u.username} 已存在`);
  await conn.run('INSERT INTO app_user (username, role, township, password_hash, must_change) VALUES ($1, $2, $3, $4, $5)', [
    u.username, u.role, u.township ?? null, await hashPassword(u.password), u.mustChange === true,
  ]);
}

/** A township is one the county's loaded census or enrolment roll has villages in. */
async function townshipExists(conn: DuckDBConnection, code: string): Promise<boolean> {
  const found = await rows(
    conn,
    'SELECT 1 FROM census WHERE left(division_code, 9) = $1 UNION ALL SELECT 1 FROM enrollment WHERE left(division_code, 9) = $1 LIMIT 1',
    [code],
  );
  return found.length > 0;
}

async function existing(conn: DuckDBConnection, username: string): Promise<void> {
  const [found] = await rows(conn, 'SELECT 1 FROM app_user WHERE username = $1', [username]);
  if (!found) throw new AccountError('username', `没有用户 ${username}`);
}

export async function setDisabled(conn: DuckDBConnection, username: string, disabled: boolean): Promise<void> {
  await existing(conn, username);
  await conn.run('UPDATE app_user SET disabled = $2, updated_at = now() WHERE username = $1', [username, disabled]);
}

/** Sets a new password; `mustChange`: it is a one-time password the user replaces at sign-in. */
export async function setPassword(conn: DuckDBConnection, username: string, password: string, mustChange = false): Promise<void> {
  await existing(conn, username);
  const problem = passwordProblem(password, username);
  if (problem) throw new AccountError('password', problem);
  await conn.run('UPDATE app_user SET password_hash = $2, must_change = $3, updated_at = now() WHERE username = $1', [username, await hashPassword(password), mustChange]);
}

/**
 * The principal of a correct username and password of an enabled account; undefined otherwise
 * (which of the two was wrong is not told). An unknown name still costs one hash, so the answer
 * takes as long either way.
 */
export async function checkSignIn(conn: DuckDBConnection, username: string, password: string): Promise<Principal | undefined> {
  const [u] = await rows<{ role: Role; township: string | null; hash: string; mustChange: boolean; disabled: boolean }>(
    conn,
    'SELECT role, township, password_hash AS hash, must_change AS "mustChange", disabled FROM app_user WHERE username = $1',
    [username],
  );
  const ok = await verifyPassword(u?.hash ?? (await dummyHash()), password);
  if (!u || !ok || u.disabled) return undefined;
  return { username, role: u.role, ...(u.township ? { township: u.township } : {}), via: 'session', ...(u.mustChange ? { mustChange: true } : {}) };
}

/** The account as it is now (a session re-reads it, so a disabled account is out at once). */
export async function currentUser(conn: DuckDBConnection, username: string): Promise<Omit<Principal, 'via'> | undefined> {
  const [u] = await rows<{ role: Role; township: string | null; mustChange: boolean; disabled: boolean }>(
    conn,
    'SELECT role, township, must_change AS "mustChange", disabled FROM app_user WHERE username = $1',
    [username],
  );
  if (!u || u.disabled) return undefined;
  return { username, role: u.role, ...(u.township ? { township: u.township } : {}), ...(u.mustChange ? { mustChange: true } : {}) };
}

// A hash of a random string: checking an unknown name against it costs what a real check costs.
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(randomUUID()));
