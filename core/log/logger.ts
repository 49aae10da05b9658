import { pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./levels.ts";
import { redactionCensor, redactionPaths } from "./redaction.ts";
import { safeError } from "./safe-error.ts";

export type { Logger } from "pino";

/**
 * A JSON-lines logger. Credentials and message content are censored by key name (see redaction.ts);
 * `Secret` values serialise as "[redacted]" on their own. Writes to stdout unless given a destination.
 * Each process creates its own and passes it down: there is no module-level logger.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: redactionPaths(), censor: redactionCensor },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: safeError, error: safeError },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
