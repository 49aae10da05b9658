// The zod helpers every checker of outside data shares (directory services, organisations, routing rules), so that
// they all word their problems the same way: "expected <phrase>, found <input>", paths like `[3].hours.weekly.mon[0]`.
// Pure: no I/O.
import { z } from "zod";

/** One thing wrong with the data: where (`responders[1]`, `[3].id`) and what. */
export interface ValidationProblem {
  readonly path: string;
  readonly message: string;
}

/** A short rendering of a value found in the data (never more than 60 characters of it). */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

/** A schema error that reads "expected <phrase>, found <input>", or "missing (expected <phrase>)". */
export function expected(phrase: string): { error: (issue: { input?: unknown }) => string } {
  return {
    error: (issue) =>
      issue.input === undefined ? `missing (expected ${phrase})` : `expected ${phrase}, found ${show(issue.input)}`,
  };
}

const TYPE_PHRASES: Readonly<Record<string, string>> = {
  string: "a text",
  boolean: "true or false",
  number: "a number",
  object: "a mapping",
  array: "a list",
};

/** The messages for zod's own issues (wrong type, empty list, value not among the allowed ones). */
export const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return expected(TYPE_PHRASES[issue.expected] ?? `a ${issue.expected}`).error(issue);
    case "too_small":
      return issue.origin === "array" ? `expected at least ${issue.minimum} item(s), found none` : undefined;
    case "invalid_value":
      return expected(`one of ${issue.values.map(String).join(", ")}`).error(issue);
    default:
      return undefined;
  }
};

/** A text matching `pattern`, with `phrase` saying what was expected. */
export const patterned = (pattern: RegExp, phrase: string) =>
  z.string(expected(phrase)).regex(pattern, expected(phrase));

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** An id of a service or an organisation (one format for both). */
export const identifierSchema = patterned(ID, "an id of lowercase letters, digits, - and _ (at most 64)");

/** A non-empty text, trimmed. */
export const textSchema = z.string(expected("a text")).trim().min(1, expected("a non-empty text"));

/** A text in Khmer and in English. */
export const localisedTextSchema = z.strictObject(
  { km: textSchema, en: textSchema },
  expected("a mapping with km and en texts"),
);

/** Each item at most once. */
export function noRepeats<T>(items: readonly T[], context: z.RefinementCtx): void {
  items.forEach((value, index) => {
    if (items.indexOf(value) < index) {
      context.addIssue({ code: "custom", path: [index], message: `${show(value)} is listed twice` });
    }
  });
}

/** A list of at least one item, none twice. */
export function listOf<T extends z.ZodType>(item: T, phrase: string) {
  return z
    .array(item, expected(phrase))
    .min(1, { error: `expected ${phrase}, found none` })
    .superRefine(noRepeats);
}

/** `["hours", "weekly", "mon", 0, "from"]` → `hours.weekly.mon[0].from`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let formatted = "";
  for (const key of path) {
    if (typeof key === "number") formatted += `[${key}]`;
    else formatted += formatted === "" ? String(key) : `.${String(key)}`;
  }
  return formatted;
}

/** `[3]` + `id` → `[3].id`; `[3]` + `[0]` → `[3][0]`. */
export function joinPath(prefix: string, path: string): string {
  if (path === "") return prefix;
  return path.startsWith("[") || prefix === "" ? `${prefix}${path}` : `${prefix}.${path}`;
}

/**
 * Zod issues as problems, one per unknown key; `unknownKey` words the problem of an unknown key given the path of
 * the mapping it is in ("unknown key" unless told otherwise).
 */
export function problemsOf(
  error: z.ZodError,
  unknownKey: (mappingPath: readonly PropertyKey[]) => string = () => "unknown key",
): ValidationProblem[] {
  return error.issues.flatMap((issue): ValidationProblem[] => {
    if (issue.code === "unrecognized_keys") {
      const message = unknownKey(issue.path);
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}
