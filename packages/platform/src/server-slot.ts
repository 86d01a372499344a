/**
 * The server process's one platform, kept on `globalThis` under a registered symbol: the
 * dashboard's `init` hook opens it there (a dev-server reload finds it instead of opening the
 * database twice), and `ncms serve`, which hosts the built dashboard in its own process, reads
 * from it whether the database opened and how to shut it down.
 */
import type { Platform } from './platform.ts';

export interface ServerSlot {
  platform?: Platform;
  opening?: Promise<Platform>;
  /** Why the platform could not be opened (the server then answers 503). */
  error?: Error;
  /** Stops the schedules, waits for a running load, closes the database; safe to call twice. */
  shutdown?: () => Promise<void>;
}

const KEY = Symbol.for('ncms.server.platform');

export function serverSlot(): ServerSlot {
  return ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as ServerSlot;
}
