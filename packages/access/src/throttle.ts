/**
 * Sign-in throttling: after too many failures within a window, an account (5 in 15 minutes) or
 * an address (20 in 15 minutes) is refused until the window has passed — whether or not the next
 * password is right, so guessing gains nothing. A success clears the account's count.
 */
export const WINDOW_MS = 15 * 60_000;
export const PER_ACCOUNT = 5;
export const PER_ADDRESS = 20;

export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  private recent(key: string): number[] {
    const t = this.now();
    const kept = (this.failures.get(key) ?? []).filter((at) => t - at < WINDOW_MS);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Seconds until a sign-in may be tried again; 0 when it may now. */
  wait(username: string, address: string): number {
    const t = this.now();
    const blocked = [
      [this.recent(`u:${username.toLowerCase()}`), PER_ACCOUNT],
      [this.recent(`a:${address}`), PER_ADDRESS],
    ] as const;
    let until = 0;
    for (const [list, limit] of blocked) if (list.length >= limit) until = Math.max(until, list[list.length - limit]! + WINDOW_MS);
    return until > t ? Math.ceil((until - t) / 1000) : 0;
  }

  failed(username: string, address: string): void {
    const t = this.now();
    for (const key of [`u:${username.toLowerCase()}`, `a:${address}`]) this.failures.set(key, [...this.recent(key), t]);
  }

  succeeded(username: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
  }
}
