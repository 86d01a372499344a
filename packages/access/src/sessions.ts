/**
 * Signed-in sessions, kept in the server's memory: a random token in an HttpOnly cookie, only
 * its SHA-256 kept here; ended after 30 minutes idle or 8 hours in all (a working day), or when
 * the account signs out, is disabled or changes its password. A restart signs everyone out.
 */
import { createHash, randomBytes } from 'node:crypto';

export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 8 * 3_600_000;

interface Session {
  username: string;
  created: number;
  seen: number;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionStore {
  private readonly byDigest = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new session's token (the cookie's value). */
  create(username: string): string {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    this.byDigest.set(digest(token), { username, created: t, seen: t });
    this.sweep(t);
    return token;
  }

  /** The session's username if it is alive; using it counts as activity. */
  use(token: string | undefined): string | undefined {
    if (!token) return undefined;
    const key = digest(token);
    const s = this.byDigest.get(key);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.seen > IDLE_MS || t - s.created > ABSOLUTE_MS) {
      this.byDigest.delete(key);
      return undefined;
    }
    s.seen = t;
    return s.username;
  }

  end(token: string | undefined): void {
    if (token) this.byDigest.delete(digest(token));
  }

  /** Ends every session of an account (disabled, or its password changed). */
  endAll(username: string): void {
    for (const [k, s] of this.byDigest) if (s.username === username) this.byDigest.delete(k);
  }

  get size(): number {
    return this.byDigest.size;
  }

  private sweep(t: number): void {
    for (const [k, s] of this.byDigest) if (t - s.seen > IDLE_MS || t - s.created > ABSOLUTE_MS) this.byDigest.delete(k);
  }
}
