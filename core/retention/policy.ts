// Retention policies: how long a case's messages, media and metadata may live. Pure: no I/O.
import type { ValidationProblem } from "../validation/zod-problems.ts";

/** Every lifetime in milliseconds. */
export interface RetentionPolicy {
  /** Longest a message may live in a room of an open case (and in intake DMs and queue rooms). */
  readonly messageLifetimeMs: number;
  /** How long a closed case's rooms stay before they are deleted on the hub. */
  readonly graceAfterCloseMs: number;
  /** Longest a media file may live; never longer than the messages that carry it. */
  readonly mediaLifetimeMs: number;
  /** How long after a case closes (or is erased) its metadata keeps the survivor's ID and room mappings. */
  readonly metadataLifetimeMs: number;
}

export const POLICY_FIELDS = [
  "messageLifetimeMs",
  "graceAfterCloseMs",
  "mediaLifetimeMs",
  "metadataLifetimeMs",
] as const satisfies readonly (keyof RetentionPolicy)[];

/** A policy for a category or an organisation: only the lifetimes it shortens. */
export type PolicyOverride = Partial<RetentionPolicy>;

const second = 1_000;
const day = 86_400_000;

/**
 * What no policy may go beyond. The floor is one second so that tests can run a policy out; anything above the
 * ceilings is a typing error (a lifetime in seconds read as days), not a choice.
 */
export const POLICY_BOUNDS: Readonly<Record<keyof RetentionPolicy, { min: number; max: number }>> = {
  messageLifetimeMs: { min: second, max: 365 * day },
  graceAfterCloseMs: { min: 0, max: 365 * day },
  mediaLifetimeMs: { min: second, max: 365 * day },
  metadataLifetimeMs: { min: second, max: 10 * 365 * day },
};

function checkField(field: keyof RetentionPolicy, value: unknown, ceiling: number | undefined): ValidationProblem[] {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    return [{ path: field, message: "expected a whole number of milliseconds" }];
  }
  const { min, max } = POLICY_BOUNDS[field];
  if (value < min || value > max) {
    return [{ path: field, message: `expected between ${min} and ${max} ms, found ${value}` }];
  }
  if (ceiling !== undefined && value > ceiling) {
    return [{ path: field, message: `may only shorten the hub's ${ceiling} ms, found ${value}` }];
  }
  return [];
}

export type PolicyCheck<T> =
  { readonly ok: true; readonly policy: T } | { readonly ok: false; readonly problems: ValidationProblem[] };

/** The hub's default policy: every field present and within bounds; media never outlive messages. */
export function checkHubPolicy(input: Readonly<Record<string, unknown>>): PolicyCheck<RetentionPolicy> {
  const problems = POLICY_FIELDS.flatMap((field) => checkField(field, input[field], undefined));
  if (problems.length === 0 && (input["mediaLifetimeMs"] as number) > (input["messageLifetimeMs"] as number)) {
    problems.push({ path: "mediaLifetimeMs", message: "may not be longer than messageLifetimeMs" });
  }
  if (problems.length > 0) return { ok: false, problems };
  const policy = Object.fromEntries(POLICY_FIELDS.map((f) => [f, input[f]])) as unknown as RetentionPolicy;
  return { ok: true, policy };
}

/** An override for a category or organisation: the fields it sets, each within bounds and no longer than the hub's. */
export function checkOverride(
  input: Readonly<Record<string, unknown>>,
  hub: RetentionPolicy,
): PolicyCheck<PolicyOverride> {
  const unknown = Object.keys(input).filter((key) => !(POLICY_FIELDS as readonly string[]).includes(key));
  const problems: ValidationProblem[] = unknown.map((key) => ({ path: key, message: "is not a policy field" }));
  const override: Record<string, number> = {};
  for (const field of POLICY_FIELDS) {
    if (input[field] === undefined) continue;
    const found = checkField(field, input[field], hub[field]);
    problems.push(...found);
    if (found.length === 0) override[field] = input[field] as number;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy: override };
}

/**
 * The policy a case lives under: the hub's default, shortened by its category's and its organisation's overrides
 * (the shortest wins: an override can never lengthen), media never longer than messages.
 */
export function effectivePolicy(
  hub: RetentionPolicy,
  overrides: readonly (PolicyOverride | undefined)[],
): RetentionPolicy {
  const shortest = (field: keyof RetentionPolicy): number =>
    Math.min(hub[field], ...overrides.map((o) => o?.[field] ?? Number.POSITIVE_INFINITY));
  const messageLifetimeMs = shortest("messageLifetimeMs");
  return {
    messageLifetimeMs,
    graceAfterCloseMs: shortest("graceAfterCloseMs"),
    mediaLifetimeMs: Math.min(shortest("mediaLifetimeMs"), messageLifetimeMs),
    metadataLifetimeMs: shortest("metadataLifetimeMs"),
  };
}
