import type { z } from "zod";

/*
 * How a failed config turns into one line.
 *
 * Conventions, so that every message reads "expected …, found …" and no secret leaks:
 * - built-in zod issues carry an *expectation phrase* as their message ("an http(s) URL", "one of a, b"), either
 *   from the schema (`{ error: "…" }`) or from `expectationPhrases` below; `formatIssue` adds "expected"/"found"/
 *   "missing" and shows the input with `show`.
 * - custom issues (refinements, transforms, secret resolution) carry the whole sentence; `formatIssue` prints it
 *   as is and never looks at their input. Secret fields only ever raise custom issues.
 */

/** A short, safe rendering of a value found in the config (never used for secret fields). */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    const withoutCredentials = value.replaceAll(/\/\/[^/@\s]*@/g, "//[redacted]@");
    const shortened = withoutCredentials.length > 80 ? `${withoutCredentials.slice(0, 77)}...` : withoutCredentials;
    return JSON.stringify(shortened);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return kindOf(value);
}

/** What sort of thing a value is, without any of its content: for secrets and whole mappings. */
export function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  if (typeof value === "object") return Object.keys(value).length === 0 ? "an empty mapping" : "a mapping";
  return `a ${typeof value}`;
}

/** A refinement's error that reads "expected <phrase>, found <input>". */
export function expectedButFound(phrase: string): { error: (issue: { input: unknown }) => string } {
  return { error: (issue) => `expected ${phrase}, found ${show(issue.input)}` };
}

const typePhrases: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
};

function bound(value: number | bigint, inclusive: boolean | undefined, word: string): string {
  return inclusive === false ? `${word} than ${value}` : `${word} ${value}`;
}

/** Parse-level error map: the expectation phrase for every built-in issue the schema does not phrase itself. */
export const expectationPhrases: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return typePhrases[issue.expected] ?? `a ${issue.expected}`;
    case "invalid_value":
      return `one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      if (issue.origin === "string") return "a non-empty string";
      if (issue.origin === "array") return `at least ${issue.minimum} item(s)`;
      return `a number ${bound(issue.minimum, issue.inclusive, issue.inclusive === false ? "greater" : "at least")}`;
    case "too_big":
      if (issue.origin === "string") return `at most ${issue.maximum} characters`;
      if (issue.origin === "array") return `at most ${issue.maximum} item(s)`;
      return `a number ${bound(issue.maximum, issue.inclusive, issue.inclusive === false ? "less" : "at most")}`;
    case "invalid_format":
      return `a valid ${issue.format}`;
    default:
      return undefined;
  }
};

function describeProblem(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys": {
      const keys = issue.keys.map((key) => JSON.stringify(key)).join(", ");
      return issue.keys.length === 1 ? `unknown key ${keys}` : `unknown keys ${keys}`;
    }
    case "custom":
      return issue.message;
    default:
      if (issue.input === undefined) return `missing (expected ${issue.message})`;
      return `expected ${issue.message}, found ${show(issue.input)}`;
  }
}

/** `hub.clientUrl`, `federation.allowedServers[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** Where a value came from, when not from the file: dotted key path → environment variable. */
export type ValueSources = ReadonlyMap<string, string>;

function sourceOf(path: readonly PropertyKey[], sources: ValueSources): string | undefined {
  for (let length = path.length; length > 0; length--) {
    const source = sources.get(formatPath(path.slice(0, length)));
    if (source !== undefined) return source;
  }
  return undefined;
}

/** One issue as "<path>[ (from ENV)]: <problem>". */
export function formatIssue(issue: z.core.$ZodIssue, sources: ValueSources = new Map()): string {
  const path = formatPath(issue.path);
  const source = sourceOf(issue.path, sources);
  const where = source === undefined ? path : `${path} (from ${source})`;
  const problem = describeProblem(issue);
  return where === "" ? problem : `${where}: ${problem}`;
}

/**
 * All issues as one line: the first (unknown keys first, as a misspelt key is often why another looks missing),
 * then how many more there are.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], sources: ValueSources = new Map()): string {
  const ordered = [...issues].sort(
    (a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"),
  );
  const [first] = ordered;
  if (first === undefined) return "invalid";
  const more = ordered.length - 1;
  return more === 0 ? formatIssue(first, sources) : `${formatIssue(first, sources)} (and ${more} more)`;
}
