/**
 * The one platform of the server process: opened by the `init` hook before the server listens,
 * kept in the process-wide slot so a dev-server reload reuses it instead of opening the database
 * twice, closed on shutdown after a running load has finished.
 */
import { resolve } from 'node:path';
import { Platform, loadPlatformConfig, serverSlot } from '@ncms/platform';
import { addUser, countUsers, oneTimePassword } from '@ncms/access';
import { log } from './log';

const slot = serverSlot();

/** Server settings from the environment (`ncms serve` sets them). */
export function serverSettings() {
  const env = process.env;
  return {
    db: resolve(env.NCMS_DB ?? 'data/ncms.duckdb'),
    config: resolve(env.NCMS_CONFIG ?? 'ncms.config.json'),
    policies: env.NCMS_POLICIES ? resolve(env.NCMS_POLICIES) : undefined,
    schedules: env.NCMS_SCHEDULES !== 'off',
    threads: env.NCMS_THREADS ? Number(env.NCMS_THREADS) : undefined,
    memoryLimit: env.NCMS_MEMORY,
  };
}

export function startPlatform(): Promise<Platform> {
  slot.opening ??= (async () => {
    const s = serverSettings();
    const config = await loadPlatformConfig(s.config);
    if (s.policies) config.policiesDir = s.policies;
    const platform = await Platform.open(s.db, config, { threads: s.threads, memoryLimit: s.memoryLimit, mustExist: true });
    await firstAdministrator(platform);
    slot.platform = platform;
    let closing: Promise<void> | undefined;
    slot.shutdown = () => (closing ??= platform.close());
    // The analytics tables are brought up to date in the background; pages read what is there.
    void platform.refresh().catch((e: Error) => log.error({ err: e }, '分析表更新失败 (analytics refresh failed)'));
    if (s.schedules) platform.startSchedules();
    process.once('sveltekit:shutdown', () => void slot.shutdown?.());
    return platform;
  })().catch((e: Error) => {
    slot.error = e;
    throw e;
  });
  return slot.opening;
}

/** The platform, or undefined while it is not open (the server then answers 503). */
export function currentPlatform(): Platform | undefined {
  return slot.platform;
}

/**
 * A database without accounts gets an administrator `admin` with a one-time password, printed
 * once here and to be changed at first sign-in — never a default password.
 */
async function firstAdministrator(platform: Platform): Promise<void> {
  // (A database opened read-only, its disk full, keeps the accounts it has.)
  if ((await platform.read(countUsers)) > 0 || platform.readOnly) return;
  const password = oneTimePassword();
  const made = await platform.record(async (conn) => {
    if ((await countUsers(conn)) > 0) return false;
    await addUser(conn, { username: 'admin', role: 'admin', password, mustChange: true });
    return true;
  });
  if (made) process.stdout.write(`首次启动：已创建管理员账号 admin，一次性密码 ${password}（只显示这一次，首次登录须修改）\nfirst start: administrator "admin" created with the one-time password above (shown once; change it at first sign-in)\n`);
}
