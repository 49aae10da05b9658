import { resolve } from "node:path";
import type { Env } from "./secret-field.ts";

/** How an environment variable's text becomes the value it overrides. */
type OverrideKind =
  /** the text as is */
  | "string"
  /** digits become a number; anything else stays text for the schema to refuse */
  | "integer"
  /** a path, made absolute against the working directory */
  | "path"
  /** a secret: the key is set to `{ env: <VAR> }`, so it is resolved (and checked) like any secret reference */
  | "secret";

export interface EnvOverride {
  readonly env: string;
  readonly path: readonly string[];
  readonly kind: OverrideKind;
}

/** Every environment variable that overrides a config key. The environment wins over the file; empty counts as unset. */
export const envOverrides = [
  { env: "HAVEN_DATA_DIR", path: ["dataDir"], kind: "path" },
  { env: "HAVEN_LOG_LEVEL", path: ["log", "level"], kind: "string" },
  { env: "HAVEN_DATABASE_URL", path: ["database", "url"], kind: "secret" },
  { env: "HAVEN_HUB_ADMIN_TOKEN", path: ["hub", "adminToken"], kind: "secret" },
  { env: "HAVEN_ADMIN_PORT", path: ["admin", "port"], kind: "integer" },
  { env: "HAVEN_ADMIN_BOOTSTRAP_TOKEN", path: ["admin", "bootstrapToken"], kind: "secret" },
  { env: "HAVEN_CRYPTO_STORAGE_KEY", path: ["crypto", "storageKey"], kind: "secret" },
  { env: "HAVEN_CRYPTO_RECOVERY_KEY", path: ["crypto", "recoveryKey"], kind: "secret" },
] as const satisfies readonly EnvOverride[];

/** The variable naming the config file (not a key of it). */
export const configPathVariable = "HAVEN_CONFIG";

function overrideValue(override: EnvOverride, text: string, cwd: string): unknown {
  switch (override.kind) {
    case "string":
      return text;
    case "integer":
      return /^\d+$/.test(text) ? Number(text) : text;
    case "path":
      return resolve(cwd, text);
    case "secret":
      return { env: override.env };
  }
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets `path` in `document`, creating missing mappings; leaves it alone if something not a mapping is in the way. */
function setPath(document: Mapping, path: readonly string[], value: unknown): boolean {
  const [key, ...rest] = path;
  if (key === undefined) return false;
  if (rest.length === 0) {
    document[key] = value;
    return true;
  }
  const child = document[key] ?? {};
  if (!isMapping(child)) return false;
  document[key] = child;
  return setPath(child, rest, value);
}

export interface Overridden {
  /** A copy of the document with the overrides applied. */
  readonly document: unknown;
  /** Dotted key path → the variable that set it, so errors can say where a value came from. */
  readonly sources: ReadonlyMap<string, string>;
}

/** Applies `envOverrides` to a parsed config document (which is not modified). */
export function applyEnvOverrides(document: unknown, env: Env, cwd: string): Overridden {
  const sources = new Map<string, string>();
  if (!isMapping(document)) return { document, sources };
  const copy = structuredClone(document);
  for (const override of envOverrides) {
    const text = env[override.env];
    if (text === undefined || text === "") continue;
    if (setPath(copy, override.path, overrideValue(override, text, cwd)))
      sources.set(override.path.join("."), override.env);
  }
  return { document: copy, sources };
}
