// Checking organisation data that comes from outside the code (the YAML seed, the admin API, the database).
// One zod schema is the definition of a valid Organisation; a compile-time check below keeps it equal to the type.
import { z } from "zod";
import { locales } from "../i18n/locales.ts";
import { DEFAULT_TIME_ZONE, type OpeningHours } from "../directory/hours.ts";
import { NATIONWIDE, SERVICE_AREAS } from "../directory/taxonomy.ts";
import { serviceSchema } from "../directory/validate.ts";
import { isMatrixUserId, isRoomId, isServerName, serverNameOf } from "./matrix-ids.ts";
import {
  CAPACITY_BOUNDS,
  DEFAULT_CLAIM_SLA_MS,
  DEFAULT_REPLY_SLA_MS,
  DEFAULT_STAFF_LANGUAGE,
  ROUTING_MODES,
  SLA_BOUNDS_MS,
  type MatrixUserId,
  type Organisation,
} from "./organisation.ts";
import {
  errorMap,
  expected,
  identifierSchema,
  joinPath,
  listOf,
  localisedTextSchema,
  noRepeats,
  problemsOf,
  show,
  type ValidationProblem,
} from "../validation/zod-problems.ts";

// The shared helpers, from where the routing rules and the organisations file loader have always imported them.
export { errorMap, expected, formatPath, joinPath, listOf, problemsOf, show } from "../validation/zod-problems.ts";

/** One thing wrong with the data: where (`responders[1]`, `[2].id`) and what. */
export type OrganisationProblem = ValidationProblem;

export type ParseOrganisationResult =
  | { readonly ok: true; readonly organisation: Organisation }
  | { readonly ok: false; readonly problems: OrganisationProblem[] };

export type ParseOrganisationsResult =
  | { readonly ok: true; readonly organisations: Organisation[] }
  | { readonly ok: false; readonly problems: OrganisationProblem[] };

/** An organisation id (the same format as directory ids). */
export const organisationIdSchema = identifierSchema;

const serverName = z
  .string(expected("a server name such as ngo-a.example.org"))
  .refine(isServerName, expected("a server name such as ngo-a.example.org"));

const roomId = z.string(expected("a room ID such as !abc:ngo-a.example.org")).refine(isRoomId, {
  error: (issue) => `expected a room ID such as !abc:ngo-a.example.org, found ${show(issue.input)}`,
});

const mxidPhrase = "a Matrix ID such as @counsellor:ngo-a.example.org";
const matrixUserId = z
  .string(expected(mxidPhrase))
  .refine((value): value is MatrixUserId => isMatrixUserId(value), expected(mxidPhrase));

function wholeNumber(min: number, max: number, unit: string) {
  const phrase = `a whole number ${unit} from ${min} to ${max}`;
  return z.number(expected(phrase)).int(expected(phrase)).min(min, expected(phrase)).max(max, expected(phrase));
}

function duration(bounds: { readonly min: number; readonly max: number }) {
  const phrase = `a whole number of milliseconds from ${bounds.min} (${humanMs(bounds.min)}) to ${bounds.max} (${humanMs(bounds.max)})`;
  return z
    .number(expected(phrase))
    .int(expected(phrase))
    .min(bounds.min, expected(phrase))
    .max(bounds.max, expected(phrase));
}

function humanMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

const capacity = z.strictObject(
  {
    maxActiveCases: wholeNumber(CAPACITY_BOUNDS.maxActiveCases.min, CAPACITY_BOUNDS.maxActiveCases.max, "of cases"),
    maxActivePerResponder: wholeNumber(
      CAPACITY_BOUNDS.maxActivePerResponder.min,
      CAPACITY_BOUNDS.maxActivePerResponder.max,
      "of cases",
    ),
  },
  expected("a mapping with maxActiveCases and maxActivePerResponder"),
);

// The directory's definitions of categories, languages and opening hours, so that services and organisations read
// them the same way. Provinces differ only in the message for "other".
const area = z.enum(SERVICE_AREAS, {
  error: (issue) =>
    issue.input === "other"
      ? `an organisation cannot list "other" (survivors elsewhere go to the ${NATIONWIDE} organisations); ` +
        `use "${NATIONWIDE}" or a listed province`
      : `unknown province ${show(issue.input)} (expected one of ${SERVICE_AREAS.join(", ")})`,
});
const openingHours = serviceSchema.shape.hours;

const ALWAYS_OPEN_HOURS: OpeningHours = { timeZone: DEFAULT_TIME_ZONE, always: true, weekly: {} };

/**
 * The definition of a valid organisation as it arrives from YAML or JSON. Defaults: `queueRoomId` null,
 * `responders` none, `alwaysOpen` from `hours.always`, `hours` 24/7 for an always-open org, SLAs 5 and 10 minutes,
 * `routingMode` relay, `childProtection` false, `staffLanguage` en.
 */
export const organisationSchema = z
  .strictObject({
    id: organisationIdSchema,
    name: localisedTextSchema,
    shortName: localisedTextSchema,
    homeserver: serverName,
    queueRoomId: roomId.nullable().default(null),
    responders: z.array(matrixUserId, expected("a list of Matrix IDs")).superRefine(noRepeats).default([]),
    categories: serviceSchema.shape.categories,
    provinces: listOf(area, `a list of provinces or "${NATIONWIDE}"`),
    languages: serviceSchema.shape.languages,
    hours: openingHours.optional(),
    alwaysOpen: z.boolean(expected("true or false")).optional(),
    capacity,
    claimSlaMs: duration(SLA_BOUNDS_MS.claim).default(DEFAULT_CLAIM_SLA_MS),
    replySlaMs: duration(SLA_BOUNDS_MS.reply).default(DEFAULT_REPLY_SLA_MS),
    routingMode: z
      .enum(ROUTING_MODES, {
        error: (issue) => `unknown routing mode ${show(issue.input)} (expected ${ROUTING_MODES.join(" or ")})`,
      })
      .default("relay"),
    childProtection: z.boolean(expected("true or false")).default(false),
    staffLanguage: z
      .enum(locales, {
        error: (issue) => `unknown staff language ${show(issue.input)} (expected ${locales.join(" or ")})`,
      })
      .default(DEFAULT_STAFF_LANGUAGE),
  })
  .superRefine((org, context) => {
    // Zod runs this even when fields failed their own checks: compare only what is well-formed.
    const home = org.homeserver.toLowerCase();
    org.responders.forEach((responder, index) => {
      if (!isServerName(org.homeserver) || !isMatrixUserId(responder)) return;
      const server = serverNameOf(responder);
      if (server.toLowerCase() !== home) {
        context.addIssue({
          code: "custom",
          path: ["responders", index],
          message: `${responder} is on ${server}, not on the organisation's own homeserver ${org.homeserver}`,
        });
      }
    });
    const hoursSayAlways = org.hours?.always === true;
    if (org.alwaysOpen === false && hoursSayAlways) {
      context.addIssue({
        code: "custom",
        path: ["alwaysOpen"],
        message: "false, but hours say always: true (set alwaysOpen: true for an organisation staffed 24/7)",
      });
    } else if (org.alwaysOpen === true && org.hours !== undefined && !hoursSayAlways) {
      context.addIssue({
        code: "custom",
        path: ["hours"],
        message: "alwaysOpen is true, so leave hours out (or give always: true) rather than weekly times",
      });
    } else if (org.alwaysOpen !== true && org.hours === undefined) {
      context.addIssue({
        code: "custom",
        path: ["hours"],
        message: "missing (expected opening hours, or alwaysOpen: true for an organisation staffed 24/7)",
      });
    }
    const { maxActiveCases, maxActivePerResponder } = org.capacity;
    const wellFormed = (value: number, bounds: { readonly min: number; readonly max: number }): boolean =>
      Number.isInteger(value) && value >= bounds.min && value <= bounds.max;
    if (
      wellFormed(maxActiveCases, CAPACITY_BOUNDS.maxActiveCases) &&
      wellFormed(maxActivePerResponder, CAPACITY_BOUNDS.maxActivePerResponder) &&
      maxActivePerResponder > maxActiveCases
    ) {
      context.addIssue({
        code: "custom",
        path: ["capacity", "maxActivePerResponder"],
        message:
          `${maxActivePerResponder} is more than the organisation's maxActiveCases ` +
          `(${maxActiveCases}): one responder cannot hold more cases than the whole organisation`,
      });
    }
  })
  .transform((org): Organisation => {
    const alwaysOpen = org.alwaysOpen ?? org.hours?.always === true;
    return {
      id: org.id,
      name: org.name,
      shortName: org.shortName,
      homeserver: org.homeserver,
      queueRoomId: org.queueRoomId,
      responders: org.responders,
      categories: org.categories,
      provinces: org.provinces,
      languages: org.languages,
      hours: org.hours ?? ALWAYS_OPEN_HOURS,
      alwaysOpen,
      capacity: org.capacity,
      claimSlaMs: org.claimSlaMs,
      replySlaMs: org.replySlaMs,
      routingMode: org.routingMode,
      childProtection: org.childProtection,
      staffLanguage: org.staffLanguage,
    };
  });

// Compile errors here if the schema and the Organisation type drift apart.
type MustBeOrganisation<T extends Organisation> = T;
type MustBeTrue<T extends true> = T;
type _SchemaOutputIsOrganisation = MustBeOrganisation<z.output<typeof organisationSchema>>;
type _SchemaHasNoExtraKeys = MustBeTrue<
  [Exclude<keyof z.output<typeof organisationSchema>, keyof Organisation>] extends [never] ? true : false
>;
type _EveryKeyIsChecked = MustBeTrue<
  [Exclude<keyof Organisation, keyof z.input<typeof organisationSchema>>] extends [never] ? true : false
>;

/** A validated, normalised organisation (texts trimmed, defaults filled in, the time zone spelt canonically). */
export function parseOrganisation(input: unknown): ParseOrganisationResult {
  const result = organisationSchema.safeParse(input, { error: errorMap });
  return result.success ? { ok: true, organisation: result.data } : { ok: false, problems: problemsOf(result.error) };
}

/** Everything wrong with one organisation, in document order; empty when it is valid. */
export function validateOrganisation(input: unknown): OrganisationProblem[] {
  const result = parseOrganisation(input);
  return result.ok ? [] : result.problems;
}

function stringField(item: unknown, key: string): string | undefined {
  if (typeof item !== "object" || item === null || !(key in item)) return undefined;
  const value = (item as Record<string, unknown>)[key];
  return typeof value === "string" ? value : undefined;
}

/**
 * A whole list: every organisation valid, no id used twice, no queue room shared by two organisations.
 * Problem paths start with the index, `[3].id`.
 */
export function parseOrganisations(input: unknown): ParseOrganisationsResult {
  if (!Array.isArray(input)) {
    return { ok: false, problems: [{ path: "", message: `expected a list of organisations, found ${show(input)}` }] };
  }
  const organisations: Organisation[] = [];
  const problems: OrganisationProblem[] = [];
  const firstIndex = { id: new Map<string, number>(), queueRoomId: new Map<string, number>() };
  input.forEach((item: unknown, index) => {
    const result = parseOrganisation(item);
    if (result.ok) organisations.push(result.organisation);
    else
      problems.push(...result.problems.map((problem) => ({ ...problem, path: joinPath(`[${index}]`, problem.path) })));
    for (const key of ["id", "queueRoomId"] as const) {
      const value = stringField(item, key);
      if (value === undefined) continue;
      const first = firstIndex[key].get(value);
      if (first === undefined) firstIndex[key].set(value, index);
      else {
        const what = key === "id" ? "id" : "queue room";
        problems.push({
          path: `[${index}].${key}`,
          message: `duplicate ${what} ${show(value)} (first used at [${first}])`,
        });
      }
    }
  });
  problems.sort((a, b) => indexOf(a.path) - indexOf(b.path));
  return problems.length === 0 ? { ok: true, organisations } : { ok: false, problems };
}

function indexOf(path: string): number {
  return Number(/^\[(\d+)\]/.exec(path)?.[1] ?? -1);
}

/** Everything wrong with a whole list; empty when it is valid. */
export function validateOrganisations(input: unknown): OrganisationProblem[] {
  const result = parseOrganisations(input);
  return result.ok ? [] : result.problems;
}
