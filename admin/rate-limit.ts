// Fixed-window request counting in memory, per key (an IP address, a token id). One Haven process serves the API,
// so memory is the right place; a restart forgets the counts, which only ever lets more through.

export interface RateLimits {
  /** Sign in with Matrix attempts and failed bearer authentications per client address per minute. */
  readonly authPerIpPerMinute: number;
  /** Requests per token per minute. */
  readonly perTokenPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { authPerIpPerMinute: 20, perTokenPerMinute: 600 };

const WINDOW_MS = 60_000;

export class RateLimiter {
  readonly #counts = new Map<string, { windowStart: number; count: number }>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Counts one request for `key`; false when it goes over `limit` in the current window. */
  take(key: string, limit: number): boolean {
    const now = this.#now();
    const entry = this.#counts.get(key);
    if (entry === undefined || now - entry.windowStart >= WINDOW_MS) {
      if (this.#counts.size > 100_000) this.#sweep(now);
      this.#counts.set(key, { windowStart: now, count: 1 });
      return limit >= 1;
    }
    entry.count += 1;
    return entry.count <= limit;
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#counts) if (now - entry.windowStart >= WINDOW_MS) this.#counts.delete(key);
  }
}
