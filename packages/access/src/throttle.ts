/**
 * Sign-in throttling: after too many failures within a window, an account (5 in 15 minutes) or
 * an address (20 in 15 minutes) is refused until the window has passed — whether or not the next
 * password is right, so guessing gains nothing. A success clears the account's count.
 *
 * An attempt is counted when it arrives, before its password is hashed (`attempt`): guesses sent
 * in parallel are counted one by one, so a burst cannot slip many past the limit while the first
 * hashes are still being checked. A success then takes its own attempt back (`succeeded`).
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

  /**
   * An attempt about to be checked: counted now (as a failure until `succeeded` says otherwise).
   * Returns the seconds to wait when the account or address is already locked (nothing counted
   * then), 0 when the password may be checked.
   */
  attempt(username: string, address: string): number {
    const wait = this.wait(username, address);
    if (wait === 0) this.failed(username, address);
    return wait;
  }

  failed(username: string, address: string): void {
    const t = this.now();
    for (const key of [`u:${username.toLowerCase()}`, `a:${address}`]) this.failures.set(key, [...this.recent(key), t]);
  }

  /** The account's count is cleared; the address's keeps its other failures (the success's own attempt is taken back). */
  succeeded(username: string, address?: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
    if (address === undefined) return;
    const list = this.recent(`a:${address}`);
    if (list.length) this.failures.set(`a:${address}`, list.slice(0, -1));
  }
}
