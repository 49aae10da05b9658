/**
 * Fixed-window counters: at most `perKey` events per key and `overall` events in total per window. Memory only;
 * a restart forgets the counts (an attacker gains one window at most). Keys are client addresses, kept only for
 * the window.
 */
export interface RateLimiter {
  /** Counts the attempt and says whether it is allowed. */
  allow(key: string): boolean;
}

export function fixedWindowLimiter(options: {
  perKey: number;
  overall: number;
  windowMs: number;
  now: () => number;
}): RateLimiter {
  const { perKey, overall, windowMs, now } = options;
  let windowStart = now();
  let total = 0;
  let counts = new Map<string, number>();
  return {
    allow(key) {
      if (now() - windowStart >= windowMs) {
        windowStart = now();
        total = 0;
        counts = new Map();
      }
      const count = counts.get(key) ?? 0;
      if (count >= perKey || total >= overall) return false;
      counts.set(key, count + 1);
      total++;
      return true;
    },
  };
}
