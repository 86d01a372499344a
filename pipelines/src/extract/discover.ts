/** Finds the extract files of a source directory: one sub-folder per kind, any file name. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KIND_ORDER, formatOfPath, type KindName } from '@ncms/extracts';

export interface SourceFile {
  kind: KindName;
  path: string;
}

export interface Discovered {
  files: SourceFile[];
  /** Files modified too recently to be complete: left for the next run. */
  waiting: SourceFile[];
}

/** Compares by code point, as the spec orders files (not by locale). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name.startsWith('~$')) continue; // hidden files, Excel lock files
    const full = join(dir, e.name);
    const st = e.isSymbolicLink() ? await stat(full).catch(() => null) : e;
    if (st?.isDirectory()) out.push(...(await walk(full)));
    else if (st?.isFile() && formatOfPath(e.name) !== null) out.push(full);
  }
  return out;
}

/**
 * Files in load order: census, facilities, enrollment, his, ledger; by path within a kind.
 * With `settleMs`, a file modified less than that long ago may still be being copied in,
 * and waits for the next run rather than being loaded half-written.
 */
export async function discover(sourceDir: string, kinds: readonly KindName[] = KIND_ORDER, settleMs = 0): Promise<Discovered> {
  const out: Discovered = { files: [], waiting: [] };
  const settledBefore = Date.now() - settleMs;
  for (const kind of KIND_ORDER) {
    if (!kinds.includes(kind)) continue;
    for (const path of (await walk(join(sourceDir, kind))).sort(byCodePoint)) {
      const modified = settleMs > 0 ? ((await stat(path).catch(() => null))?.mtimeMs ?? 0) : 0;
      (modified > settledBefore ? out.waiting : out.files).push({ kind, path });
    }
  }
  return out;
}
