// Retrying a homeserver request that failed for a reason that passes (the server restarting, overloaded,
// rate limiting, the network), so that a message is delayed rather than lost. Other failures are thrown at once.
import { ConnectionError, MatrixError } from "matrix-js-sdk";
import type { Logger } from "pino";
import { isDiskFull } from "../log/disk-full.ts";

export function isTransient(error: unknown): boolean {
  // Writing our own state failed before the request went out: waiting does not make space.
  if (isDiskFull(error)) return false;
  if (error instanceof ConnectionError) return true;
  if (error instanceof MatrixError)
    return error.httpStatus === undefined || error.httpStatus === 429 || error.httpStatus >= 500;
  return error instanceof TypeError; // fetch's "fetch failed" when the server is not listening
}

export interface RetryOptions {
  logger: Logger;
  /** Stops retrying when it turns true (the process is stopping). */
  stopped?: () => boolean;
  /** Gives up after this long in total (default 10 minutes). */
  giveUpAfterMs?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export async function retryTransient<T>(what: string, operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const started = Date.now();
  const giveUpAfter = options.giveUpAfterMs ?? 10 * 60_000;
  let delay = options.firstDelayMs ?? 500;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      const late = Date.now() - started + delay > giveUpAfter;
      if (!isTransient(error) || late || options.stopped?.()) throw error;
      options.logger.warn({ what, retryInMs: delay, err: error }, "homeserver request failed; retrying");
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5_000);
    }
  }
}
