import { resolve } from "node:path";
import { z } from "zod";
import { kindOf } from "./issues.ts";
import { Secret } from "./secret.ts";

export type Env = Readonly<Record<string, string | undefined>>;

/** Where secret references are resolved: the environment, and files relative to the config file's directory. */
export interface SecretSources {
  readonly env: Env;
  readonly baseDir: string;
  readFile(path: string): string;
}

/**
 * Checks a secret's resolved value. Returns a problem sentence ("expected …, found …") that describes the value
 * without repeating any of it, or undefined when the value is fine.
 */
export type SecretCheck = (value: string) => string | undefined;

const reference = "{ file: <path> } or { env: <VAR> }";
/** POSIX utilities' convention for environment variable names; anything else is not echoed in errors. */
const envNamePattern = /^[A-Z_][A-Z0-9_]*$/;

type Context = z.core.$RefinementCtx;

function problem(ctx: Context, message: string, path: PropertyKey[] = []): undefined {
  ctx.addIssue({ code: "custom", message, path });
  return undefined;
}

function errorCode(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message.split("\n")[0] ?? "error";
  return "error";
}

function fromFile(file: unknown, sources: SecretSources, ctx: Context): string | undefined {
  if (typeof file !== "string" || file === "")
    return problem(ctx, `expected a file path, found ${kindOf(file)}`, ["file"]);
  const path = resolve(sources.baseDir, file);
  let text: string;
  try {
    text = sources.readFile(path);
  } catch (error) {
    return problem(ctx, `cannot read ${path} (${errorCode(error)})`, ["file"]);
  }
  const value = text.trim();
  return value === "" ? problem(ctx, `${path} is empty`, ["file"]) : value;
}

function fromEnv(name: unknown, sources: SecretSources, ctx: Context): string | undefined {
  if (typeof name !== "string" || !envNamePattern.test(name)) {
    const found = typeof name === "string" ? "another name" : kindOf(name);
    return problem(ctx, `expected an environment variable name in UPPER_SNAKE_CASE, found ${found}`, ["env"]);
  }
  const value = sources.env[name]?.trim();
  if (value === undefined) return problem(ctx, `environment variable ${name} is not set`, ["env"]);
  return value === "" ? problem(ctx, `environment variable ${name} is empty`, ["env"]) : value;
}

function resolveReference(raw: unknown, sources: SecretSources, ctx: Context): string | undefined {
  if (raw === undefined) return problem(ctx, `missing (expected ${reference})`);
  if (typeof raw === "string") {
    return problem(ctx, `expected ${reference}, found a literal string (secrets are never written in the config file)`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return problem(ctx, `expected ${reference}, found ${kindOf(raw)}`);
  }
  // Key names are not echoed: `password: {hunter2}` is YAML for a mapping whose only key is the password.
  const keys = Object.keys(raw);
  if (keys.some((key) => key !== "file" && key !== "env")) {
    return problem(ctx, `expected ${reference}, found a mapping with other keys`);
  }
  if (keys.length !== 1)
    return problem(ctx, `expected ${reference}, found ${keys.length === 0 ? "an empty mapping" : "both"}`);
  return "file" in raw ? fromFile(raw.file, sources, ctx) : fromEnv("env" in raw ? raw.env : undefined, sources, ctx);
}

/**
 * A secret: given as `{ file: <path> }` (read, trimmed; relative paths from the config file's directory) or
 * `{ env: <VAR> }`, never as a literal. Loads into a `Secret`. Every issue it raises is a custom one whose
 * message never contains the value.
 */
export function secretField(sources: SecretSources, check?: SecretCheck) {
  return z
    .unknown()
    .transform((raw, ctx): Secret => {
      const value = resolveReference(raw, sources, ctx);
      if (value === undefined) return z.NEVER;
      const invalid = check?.(value);
      if (invalid !== undefined) {
        ctx.addIssue({ code: "custom", message: invalid });
        return z.NEVER;
      }
      return new Secret(value);
    })
    .meta({ secret: true });
}
