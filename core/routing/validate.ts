// Checking routing rules and the fallback choice that come from outside the code (the YAML seed, later the admin
// API) against the organisations they name.
import { z } from "zod";
import { CATEGORIES, PROVINCES } from "../directory/taxonomy.ts";
import type { Organisation } from "../organisations/index.ts";
import {
  errorMap,
  expected,
  joinPath,
  listOf,
  organisationIdSchema,
  problemsOf,
  show,
  type OrganisationProblem,
} from "../organisations/validate.ts";
import { AGE_GROUPS, ANY_MATCHING_ORG, CASE_LANGUAGES, type RoutingRule } from "./types.ts";

export type RoutingProblem = OrganisationProblem;

export type ParseRoutingRulesResult =
  { readonly ok: true; readonly rules: RoutingRule[] } | { readonly ok: false; readonly problems: RoutingProblem[] };

function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (issue) => `unknown ${what} ${show(issue.input)} (expected one of ${values.join(", ")})`,
  });
}

const ruleMatchSchema = z.strictObject(
  {
    categories: listOf(oneOf(CATEGORIES, "category"), "a list of categories").optional(),
    provinces: listOf(oneOf(PROVINCES, "province"), "a list of provinces").optional(),
    languages: listOf(oneOf(CASE_LANGUAGES, "language"), "a list of languages (km, en, either)").optional(),
    ageGroup: oneOf(AGE_GROUPS, "age group").optional(),
    urgent: z.boolean(expected("true or false")).optional(),
  },
  expected("a mapping of conditions (categories, provinces, languages, ageGroup, urgent)"),
);

const organisationIds = listOf(organisationIdSchema, "a list of organisation ids");
const offerToPhrase = `"${ANY_MATCHING_ORG}" or a list of organisation ids`;

const offerToSchema = z.unknown().transform((value, context): readonly string[] | typeof ANY_MATCHING_ORG => {
  if (value === ANY_MATCHING_ORG) return ANY_MATCHING_ORG;
  if (Array.isArray(value)) {
    const result = organisationIds.safeParse(value, { error: errorMap });
    if (result.success) return result.data;
    for (const issue of result.error.issues)
      context.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return z.NEVER;
  }
  context.addIssue({
    code: "custom",
    message:
      value === undefined ? `missing (expected ${offerToPhrase})` : `expected ${offerToPhrase}, found ${show(value)}`,
  });
  return z.NEVER;
});

/** The definition of a valid rule as it arrives from YAML or JSON; `match` defaults to "every case". */
export const routingRuleSchema = z
  .strictObject({
    id: organisationIdSchema,
    description: z.string(expected("a text")).trim().min(1, expected("a non-empty text")).optional(),
    match: ruleMatchSchema.default({}),
    offerTo: offerToSchema,
  })
  .transform((rule): RoutingRule => {
    const { description, ...rest } = rule;
    return description === undefined ? rest : { ...rest, description };
  });

function matchesEveryCase(rule: RoutingRule): boolean {
  return Object.values(rule.match).every((condition) => condition === undefined);
}

/**
 * A list of rules: each valid, ids unique, every organisation named known, none unreachable behind a rule that
 * matches every case. Problem paths start with the index, `[2].offerTo[0]`.
 */
export function parseRoutingRules(input: unknown, organisationIds: readonly string[]): ParseRoutingRulesResult {
  if (!Array.isArray(input)) {
    return { ok: false, problems: [{ path: "", message: `expected a list of rules, found ${show(input)}` }] };
  }
  const known = new Set(organisationIds);
  const rules: RoutingRule[] = [];
  const problems: RoutingProblem[] = [];
  const firstIndexById = new Map<string, number>();
  let catchAll: number | undefined;
  input.forEach((item: unknown, index) => {
    const at = `[${index}]`;
    const result = routingRuleSchema.safeParse(item, { error: errorMap });
    if (!result.success) {
      problems.push(...problemsOf(result.error).map((problem) => ({ ...problem, path: joinPath(at, problem.path) })));
      return;
    }
    const rule = result.data;
    rules.push(rule);
    const first = firstIndexById.get(rule.id);
    if (first === undefined) firstIndexById.set(rule.id, index);
    else problems.push({ path: `${at}.id`, message: `duplicate id ${show(rule.id)} (first used at [${first}])` });
    if (rule.offerTo !== ANY_MATCHING_ORG) {
      rule.offerTo.forEach((orgId, position) => {
        if (!known.has(orgId))
          problems.push({ path: `${at}.offerTo[${position}]`, message: `unknown organisation ${show(orgId)}` });
      });
    }
    if (catchAll !== undefined) {
      problems.push({
        path: at,
        message: `never used: rule [${catchAll}] before it matches every case (put catch-all rules last)`,
      });
    } else if (matchesEveryCase(rule)) catchAll = index;
  });
  return problems.length === 0 ? { ok: true, rules } : { ok: false, problems };
}

/**
 * What is wrong with the choice of fallback: it must be one of the organisations, staffed 24/7, with at least one
 * responder, so that a case that matches nobody still reaches a person. Empty when it is fine.
 */
export function checkFallbackOrganisation(
  organisations: readonly Organisation[],
  fallbackOrgId: unknown,
): RoutingProblem[] {
  if (typeof fallbackOrgId !== "string") {
    return [
      {
        path: "",
        message:
          fallbackOrgId === undefined
            ? "missing (expected the id of the 24/7 organisation that takes cases nobody else can)"
            : `expected an organisation id, found ${show(fallbackOrgId)}`,
      },
    ];
  }
  const fallback = organisations.find((organisation) => organisation.id === fallbackOrgId);
  if (fallback === undefined) return [{ path: "", message: `unknown organisation ${show(fallbackOrgId)}` }];
  const problems: RoutingProblem[] = [];
  if (!fallback.alwaysOpen) {
    problems.push({
      path: "",
      message: `${fallbackOrgId} is not open 24/7 (alwaysOpen), so it cannot be the fallback`,
    });
  }
  if (fallback.responders.length === 0) {
    problems.push({ path: "", message: `${fallbackOrgId} has no responders, so it cannot be the fallback` });
  }
  return problems;
}
