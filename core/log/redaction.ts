/**
 * Keys whose values never reach a log line: credentials, and anything that can hold what a survivor wrote
 * (Matrix event `content`, `body`, `formatted_body`). Matched by exact key name at any depth up to `maxDepth`.
 */
export const redactedKeys = [
  "token",
  "password",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "adminToken",
  "bootstrapToken",
  "authorization",
  "secret",
  "storageKey",
  "recoveryKey",
  "recovery_key",
  "body",
  "content",
  "formatted_body",
] as const;

/** How deep below the log object's top level a redacted key is still found (`a.b.c.d.token` is depth 4). */
export const maxRedactionDepth = 5;

export const redactionCensor = "[redacted]";

/** pino `redact.paths` for every redacted key at depths 0..maxRedactionDepth: `token`, `*.token`, `*.*.token`, … */
export function redactionPaths(keys: readonly string[] = redactedKeys, maxDepth = maxRedactionDepth): string[] {
  const paths: string[] = [];
  for (let depth = 0; depth <= maxDepth; depth++) {
    const prefix = "*.".repeat(depth);
    for (const key of keys) paths.push(prefix + key);
  }
  return paths;
}
