import type { Logger as PinoLogger } from "pino";
import type { Logger as SdkLogger } from "matrix-js-sdk/lib/logger.js";

function describe(args: unknown[]): string {
  return args
    .map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : typeof arg === "string" ? arg : ""))
    .filter((part) => part.length > 0)
    .join(" ")
    .slice(0, 500);
}

/**
 * matrix-js-sdk's own logging, forwarded at warn and error only: its debug output is voluminous and names
 * rooms and users. Arguments other than strings and errors are dropped so no event content can pass through.
 */
export function sdkLogger(logger: PinoLogger, namespace = "matrix-js-sdk"): SdkLogger {
  const child = logger.child({ component: namespace });
  const quiet = (): void => undefined;
  return {
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: (...args: unknown[]) => child.warn(describe(args)),
    error: (...args: unknown[]) => child.error(describe(args)),
    getChild: (name: string) => sdkLogger(logger, `${namespace}:${name}`),
  };
}
