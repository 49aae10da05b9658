import { readFileSync } from "node:fs";
import { ConfigError } from "./config-error.ts";
import { applyEnvOverrides } from "./env-overrides.ts";
import { deepFreeze } from "./freeze.ts";
import { expectationPhrases, formatIssues } from "./issues.ts";
import { defaultDataDir } from "./project-root.ts";
import { havenConfigSchema } from "./schema.ts";
import type { Env } from "./secret-field.ts";
import type { Config } from "./types.ts";

/** Drops keys whose value is null: in YAML, `key:` or `key: ~` means "not given" (e.g. a section left commented out). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== null)
      .map(([key, child]) => [key, withoutNulls(child)]),
  );
}

export interface ParseConfigOptions {
  /** Environment: overrides (see env-overrides.ts) and `{ env: VAR }` secrets. */
  readonly env: Env;
  /** Directory that relative paths in the document are resolved against: the config file's. */
  readonly baseDir: string;
  /** Directory that relative paths from the environment are resolved against. Default: process.cwd(). */
  readonly cwd?: string;
  /** Default: readFileSync as UTF-8. */
  readonly readFile?: (path: string) => string;
  /** Default: .haven/ in the project root. */
  readonly defaultDataDir?: string;
}

/** Validates a config document (already parsed from YAML; null values count as absent) into a frozen Config, or throws a one-line ConfigError. */
export function parseConfig(document: unknown, options: ParseConfigOptions): Config {
  const overridden = applyEnvOverrides(withoutNulls(document), options.env, options.cwd ?? process.cwd());
  const schema = havenConfigSchema({
    env: options.env,
    baseDir: options.baseDir,
    readFile: options.readFile ?? ((path) => readFileSync(path, "utf8")),
    defaultDataDir: options.defaultDataDir ?? defaultDataDir,
  });
  const result = schema.safeParse(overridden.document, { reportInput: true, error: expectationPhrases });
  if (!result.success) throw new ConfigError(formatIssues(result.error.issues, overridden.sources));
  return deepFreeze(result.data);
}
