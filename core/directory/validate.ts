// Checking directory data that comes from outside the code (the YAML seed, the admin API, the database).
// One zod schema is the definition of a valid Service; a compile-time check below keeps it equal to the type.
import { z } from "zod";
import { DEFAULT_TIME_ZONE, WEEKDAYS, canonicalTimeZone, isTimeZone } from "./hours.ts";
import type { Service } from "./service.ts";
import { CATEGORIES, NATIONWIDE, SERVICE_AREAS, SERVICE_LANGUAGES } from "./taxonomy.ts";
import {
  expected,
  errorMap,
  formatPath,
  identifierSchema,
  joinPath,
  listOf,
  localisedTextSchema,
  patterned,
  problemsOf,
  show,
  type ValidationProblem,
} from "../validation/zod-problems.ts";

/** One thing wrong with the data: where (`hours.weekly.mon[0].from`, `[3].id`) and what. */
export type DirectoryProblem = ValidationProblem;

export type ParseServiceResult =
  { readonly ok: true; readonly service: Service } | { readonly ok: false; readonly problems: DirectoryProblem[] };

export type ParseServicesResult =
  { readonly ok: true; readonly services: Service[] } | { readonly ok: false; readonly problems: DirectoryProblem[] };

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const PHONE = /^\+?\d[\d -]*\d$/;

const clockTime = patterned(CLOCK_TIME, 'a time "HH:MM" from 00:00 to 23:59 (midnight is "00:00")');

const category = z.enum(CATEGORIES, {
  error: (issue) => `unknown category ${show(issue.input)} (expected one of ${CATEGORIES.join(", ")})`,
});
const area = z.enum(SERVICE_AREAS, {
  error: (issue) =>
    issue.input === "other"
      ? `a service cannot list "other" (survivors elsewhere are shown the ${NATIONWIDE} services); ` +
        `use "${NATIONWIDE}" or a listed province`
      : `unknown province ${show(issue.input)} (expected one of ${SERVICE_AREAS.join(", ")})`,
});
const language = z.enum(SERVICE_LANGUAGES, {
  error: (issue) => `unknown language ${show(issue.input)} (expected one of ${SERVICE_LANGUAGES.join(", ")})`,
});

const interval = z.strictObject({ from: clockTime, to: clockTime }, expected('{ from: "HH:MM", to: "HH:MM" }'));
const intervals = z.array(interval, expected("a list of {from, to} intervals")).optional();
const weekly = z.strictObject(
  {
    mon: intervals,
    tue: intervals,
    wed: intervals,
    thu: intervals,
    fri: intervals,
    sat: intervals,
    sun: intervals,
  },
  expected("a mapping of days (mon … sun) to intervals"),
);

const timeZone = z
  .string(expected("an IANA time zone such as Asia/Phnom_Penh"))
  .refine(isTimeZone, {
    error: (issue) => `unknown time zone ${show(issue.input)} (expected an IANA name such as ${DEFAULT_TIME_ZONE})`,
  })
  .transform(canonicalTimeZone);

const openingHours = z
  .strictObject(
    {
      timeZone: timeZone.default(DEFAULT_TIME_ZONE),
      always: z.boolean(expected("true or false")).optional(),
      weekly: weekly.default({}),
    },
    expected("opening hours (a mapping with weekly, or always: true)"),
  )
  .superRefine((hours, context) => {
    const anyInterval = WEEKDAYS.some((day) => (hours.weekly[day] ?? []).length > 0);
    if (hours.always !== true && !anyInterval) {
      context.addIssue({
        code: "custom",
        path: ["weekly"],
        message: "never open: give weekly intervals, or always: true for a service open around the clock",
      });
    }
  });

/** The definition of a valid service as it arrives from YAML or JSON; `emergency` and `hours.timeZone` have defaults. */
export const serviceSchema = z.strictObject({
  id: identifierSchema,
  organisationId: identifierSchema,
  name: localisedTextSchema,
  description: localisedTextSchema,
  address: localisedTextSchema,
  categories: listOf(category, "a list of categories"),
  provinces: listOf(area, `a list of provinces or "${NATIONWIDE}"`),
  languages: listOf(language, "a list of languages (km, en)"),
  phone: patterned(PHONE, "a phone number of digits, spaces and - (e.g. 012 000 001)"),
  hours: openingHours,
  emergency: z.boolean(expected("true or false")).default(false),
});

// Compile errors here if the schema and the Service type drift apart: its output must be a Service, with no extra keys.
type MustBeService<T extends Service> = T;
type MustBeTrue<T extends true> = T;
type _SchemaOutputIsService = MustBeService<z.output<typeof serviceSchema>>;
type _SchemaHasNoExtraKeys = MustBeTrue<
  [Exclude<keyof z.output<typeof serviceSchema>, keyof Service>] extends [never] ? true : false
>;

/** An unknown key under `weekly` is a day that does not exist. */
function unknownKey(mappingPath: readonly PropertyKey[]): string {
  return mappingPath.at(-1) === "weekly" ? `unknown day (expected one of ${WEEKDAYS.join(", ")})` : "unknown key";
}

/** A validated, normalised service (texts trimmed, defaults filled in, the time zone spelt canonically). */
export function parseService(input: unknown): ParseServiceResult {
  const result = serviceSchema.safeParse(input, { error: errorMap });
  return result.success
    ? { ok: true, service: result.data }
    : { ok: false, problems: problemsOf(result.error, unknownKey) };
}

/** Everything wrong with one service, in document order; empty when it is valid. */
export function validateService(input: unknown): DirectoryProblem[] {
  const result = parseService(input);
  return result.ok ? [] : result.problems;
}

/** A whole directory: every service valid and no id used twice. Problem paths start with the index, `[3].id`. */
export function parseServices(input: unknown): ParseServicesResult {
  if (!Array.isArray(input))
    return { ok: false, problems: [{ path: "", message: `expected a list of services, found ${show(input)}` }] };
  const services: Service[] = [];
  const problems: DirectoryProblem[] = [];
  const firstIndexById = new Map<string, number>();
  input.forEach((item: unknown, index) => {
    const result = parseService(item);
    if (result.ok) services.push(result.service);
    else
      problems.push(
        ...result.problems.map((problem) => ({ ...problem, path: joinPath(formatPath([index]), problem.path) })),
      );
    const id = typeof item === "object" && item !== null && "id" in item ? item.id : undefined;
    if (typeof id !== "string") return;
    const first = firstIndexById.get(id);
    if (first === undefined) firstIndexById.set(id, index);
    else
      problems.push({
        path: formatPath([index, "id"]),
        message: `duplicate id ${show(id)} (first used at [${first}])`,
      });
  });
  return problems.length === 0 ? { ok: true, services } : { ok: false, problems };
}

/** Everything wrong with a whole directory; empty when it is valid. */
export function validateServices(input: unknown): DirectoryProblem[] {
  const result = parseServices(input);
  return result.ok ? [] : result.problems;
}
