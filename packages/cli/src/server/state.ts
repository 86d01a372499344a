/**
 * The running server's note next to its database (`ncms.duckdb.server.json`): its URL and
 * process id. DuckDB's file lock shuts every other process out of the file, so a command that
 * finds a live server here asks it instead of opening the database.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface ServerState {
  url: string;
  pid: number;
  db: string;
  started: string;
  /**
   * The command line's credential for this server (an administrator's): whoever can read this
   * note, next to the database file and readable by its owner only, could read the database.
   */
  token?: string;
}

export const stateFile = (db: string): string => `${resolve(db)}.server.json`;

export async function writeServerState(db: string, url: string, token: string): Promise<void> {
  const state: ServerState = { url, pid: process.pid, db: resolve(db), started: new Date().toISOString(), token };
  await writeFile(stateFile(db), JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

/** Removes the note if it is this process's (a newer server's note is left alone). */
export async function removeServerState(db: string): Promise<void> {
  const state = await readServerState(db);
  if (state?.pid === process.pid) await rm(stateFile(db), { force: true });
}

export async function readServerState(db: string): Promise<ServerState | undefined> {
  try {
    const s = JSON.parse(await readFile(stateFile(db), 'utf8')) as ServerState;
    return typeof s.url === 'string' && Number.isInteger(s.pid) ? s : undefined;
  } catch {
    return undefined;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
