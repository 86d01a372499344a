/**
 * `ncms user`: accounts, on the database itself or — while `ncms serve` owns it — through the
 * server (`/api/users`, with the server's local token). The password comes from standard input:
 * typed twice at a terminal (not echoed), or one line from a pipe, so scripts can make accounts.
 */
import { createInterface } from 'node:readline';
import type { options } from '../commands/user.ts';
import { AccountError, addUser, listUsers, roleZh, setDisabled, setPassword, type UserRow } from '@ncms/access';
import type { DuckDBConnection } from '@ncms/warehouse';
import { type ArgValues, type ExitCode, EXIT, UsageError } from '../cli-kit.ts';
import { findServer } from '../server/link.ts';

type Args = ArgValues<typeof options>;
const ACTIONS = ['add', 'list', 'disable', 'enable', 'passwd'] as const;
type Action = (typeof ACTIONS)[number];

/** One line from a pipe, or typed twice (hidden) at a terminal. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new UsageError(['没有从标准输入读到密码 (no password on standard input)']);
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      // Echo nothing of what is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => s.startsWith(prompt) && process.stderr.write(prompt);
      rl.question(prompt, (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('密码 (password): ');
  if ((await ask('再次输入 (again): ')) !== first) throw new UsageError(['两次输入的密码不一致 (the passwords differ)']);
  return first;
}

/** A township as a person reads it: `石桥乡（410523208）`, or the code with （不在人口统计中） when the census lacks it. */
const townshipCell = (u: UserRow): string => (u.township === null ? '—' : u.townshipName ? `${u.townshipName}（${u.township}）` : `${u.township}（不在人口统计中）`);

function table(users: UserRow[]): string {
  const lines = users.map((u) => [u.username, `${u.role}（${roleZh(u.role)}）`, townshipCell(u), u.disabled ? '已停用' : u.mustChange ? '待改密码' : '正常', u.createdAt].join('\t'));
  return ['用户名\t角色\t乡镇\t状态\t开设时间', ...lines].join('\n') + '\n';
}

async function local(args: Args, action: Action, username: string, password?: string): Promise<UserRow[] | undefined> {
  const { Platform, loadPlatformConfig } = await import('@ncms/platform');
  const platform = await Platform.open(args.db, await loadPlatformConfig(args.config), { mustExist: true });
  try {
    const change = (fn: (c: DuckDBConnection) => Promise<void>) => platform.record(fn);
    if (action === 'list') return await platform.read(listUsers);
    if (action === 'add') await change((c) => addUser(c, { username, role: args.role ?? '', township: args.township, password: password!, mustChange: args.temporary === true }));
    if (action === 'disable' || action === 'enable') await change((c) => setDisabled(c, username, action === 'disable'));
    if (action === 'passwd') await change((c) => setPassword(c, username, password!, args.temporary === true));
    return undefined;
  } finally {
    await platform.close();
  }
}

export async function run(args: Args, [actionRaw, username = '']: string[]): Promise<ExitCode> {
  const action = actionRaw as Action;
  if (!ACTIONS.includes(action)) throw new UsageError([`ACTION 应为 ${ACTIONS.join('、')} 之一 (got "${actionRaw}")`]);
  if (action !== 'list' && !username) throw new UsageError([`缺少参数 USERNAME (missing the username)`]);
  if (action === 'add' && !args.role) throw new UsageError(['--role 为必填 (the role is required)']);
  const password = action === 'add' || action === 'passwd' ? await readPassword() : undefined;
  const server = await findServer(args.db);
  try {
    if (server) {
      if (action === 'list') process.stdout.write(table((await server.json<UserRow[]>('/api/users')).body));
      else await server.json('/api/users', { op: action, username, role: args.role, township: args.township, password, temporary: args.temporary === true });
    } else {
      const users = await local(args, action, username, password);
      if (users) process.stdout.write(table(users));
    }
  } catch (e) {
    if (e instanceof AccountError) throw new UsageError([e.message]);
    throw e;
  }
  const done: Record<Exclude<Action, 'list'>, string> = { add: '已新增账号', disable: '已停用账号', enable: '已启用账号', passwd: '已设置密码' };
  if (action !== 'list') process.stderr.write(`${done[action]} ${username}${args.temporary ? '（一次性密码，首次登录须修改）' : ''}\n`);
  return EXIT.ok;
}
