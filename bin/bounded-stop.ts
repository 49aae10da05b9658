import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** V8's `gc()`, made callable without `node --expose-gc`; undefined if this V8 refuses. */
function garbageCollector(): (() => void) | undefined {
  setFlagsFromString("--expose-gc");
  const gc: unknown = runInNewContext("gc");
  return typeof gc === "function" ? (gc as () => void) : undefined;
}

/**
 * Runs `stop`, collecting garbage every `nudgeMs` while it is pending, and gives up after `timeoutMs`.
 * Resolves true when `stop` finished in time.
 *
 * Why the collection: a bot's stop deletes its in-memory crypto databases, and fake-indexeddb waits for every
 * connection to them to close; the WASM crypto closes its connections only when its objects are garbage collected
 * (matrix-js-sdk's stop() closes the OlmMachine, but other WASM objects still hold the store). Without a
 * collection that can take minutes of an idle process. To be removed once core/matrix stops waiting for it.
 */
export async function stopWithin(
  stop: () => Promise<void>,
  options: { timeoutMs: number; nudgeMs?: number },
): Promise<boolean> {
  const gc = garbageCollector();
  const nudge = gc && setInterval(gc, options.nudgeMs ?? 250);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), options.timeoutMs)));
  try {
    return await Promise.race([stop().then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
    if (nudge) clearInterval(nudge);
  }
}
