/**
 * Folders a request names (the ingest folder, a backup's or a lake export's target) must lie
 * inside a folder the configuration names — the sources' folders, the backups' folder and
 * `server.folders` — when the request comes from a browser session (a stolen or forged session
 * cannot write a full unmasked backup wherever it likes). The local command line's token may name
 * any path: whoever holds it can read the database file anyway. Links are followed before the
 * check, so a symbolic link inside an allowed folder cannot lead out of it.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import type { RequestEvent } from '@sveltejs/kit';
import { ApiError } from './api';

/** The path with every existing part's links resolved (the part not yet created kept as written). */
async function resolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(await resolved(parent), basename(path));
  }
}

const inside = (path: string, root: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** The folders a browser session may name, as the configuration gives them. */
export function configuredFolders(event: RequestEvent): string[] {
  const c = event.locals.platform.config;
  return [...c.pipeline.sources.map((s) => s.dir), ...(c.backups ? [c.backups.dir] : []), ...c.server.folders];
}

/** Refuses (403) a path outside the configured folders, unless the command line asks. */
export async function checkRequestedFolder(event: RequestEvent, param: string, path: string): Promise<void> {
  if (event.locals.principal?.via === 'cli') return;
  const roots = configuredFolders(event);
  const real = await resolved(path);
  for (const root of roots) if (inside(real, await resolved(root))) return;
  throw new ApiError(
    403,
    'forbidden',
    `${param} 不在配置允许的文件夹内：网页会话只能指定 ${roots.length ? roots.join('、') : '（配置中尚未列出文件夹）'} 之内的路径；其他位置请在服务器上用命令行 (outside the configured folders)`,
  );
}
