/**
 * At most one call per `intervalMs`: the retention worker's requests wait their turn, so that a large sweep never
 * crowds out live traffic on the hub. Zero interval: no waiting.
 */
export type Pace = () => Promise<void>;

export function pace(intervalMs: number, now: () => number = Date.now): Pace {
  let next = 0;
  return async () => {
    const at = now();
    const wait = next - at;
    next = Math.max(at, next) + intervalMs;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
}
