// Reads the partner organisations seed (config/organisations.sample.yaml is the example): the organisations, the
// 24/7 fallback and the routing rules, all validated against each other.
import { parseOrganisations, type Organisation, type OrganisationProblem } from "../core/organisations/index.ts";
import { show } from "../core/organisations/validate.ts";
import { checkFallbackOrganisation, parseRoutingRules, type RoutingRule } from "../core/routing/index.ts";
import { ConfigError } from "./config-error.ts";
import { readYamlFile } from "./yaml-file.ts";

export interface OrganisationsSetup {
  readonly organisations: Organisation[];
  /** The 24/7 organisation that takes any case nobody else can. */
  readonly fallbackOrgId: string;
  /** In order: the first matching rule decides. */
  readonly rules: RoutingRule[];
}

export type ParseOrganisationsDocumentResult =
  | { readonly ok: true; readonly setup: OrganisationsSetup }
  | { readonly ok: false; readonly problems: OrganisationProblem[] };

const DOCUMENT_KEYS = ["fallbackOrganisation", "organisations", "rules"];

function idOf(item: unknown): string | undefined {
  const id = typeof item === "object" && item !== null && "id" in item ? item.id : undefined;
  return typeof id === "string" ? id : undefined;
}

/** Problems of a list, under `key`, each followed (where known) by the item's id: `(organisation "ngo-a")`. */
function underList(
  key: string,
  noun: string,
  items: unknown,
  problems: readonly OrganisationProblem[],
): OrganisationProblem[] {
  const list: readonly unknown[] = Array.isArray(items) ? items : [];
  return problems.map((problem) => {
    const index = /^\[(\d+)\]/.exec(problem.path)?.[1];
    const id = index === undefined || problem.path === `[${index}].id` ? undefined : idOf(list[Number(index)]);
    return {
      path: problem.path.startsWith("[") || problem.path === "" ? `${key}${problem.path}` : `${key}.${problem.path}`,
      message: id === undefined ? problem.message : `${problem.message} (${noun} ${JSON.stringify(id)})`,
    };
  });
}

/**
 * An organisations document: a mapping with `organisations` (a list), `fallbackOrganisation` (an id) and
 * optionally `rules` (a list). Problem paths are document paths (`organisations[1].responders[0]`).
 */
export function parseOrganisationsDocument(document: unknown): ParseOrganisationsDocumentResult {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    return { ok: false, problems: [{ path: "", message: "expected a mapping with an organisations list" }] };
  }
  const unknownKey = Object.keys(document).find((key) => !DOCUMENT_KEYS.includes(key));
  if (unknownKey !== undefined) return { ok: false, problems: [{ path: unknownKey, message: "unknown key" }] };
  const { organisations: orgItems, fallbackOrganisation, rules: ruleItems = [] } = document as Record<string, unknown>;
  if (orgItems === undefined) {
    return { ok: false, problems: [{ path: "organisations", message: "missing (expected a list of organisations)" }] };
  }
  if (!Array.isArray(orgItems)) {
    // Rules and the fallback name organisations: without a list, checking them would only add noise.
    return {
      ok: false,
      problems: [{ path: "organisations", message: `expected a list of organisations, found ${show(orgItems)}` }],
    };
  }
  const problems: OrganisationProblem[] = [];
  const orgs = parseOrganisations(orgItems);
  if (!orgs.ok) problems.push(...underList("organisations", "organisation", orgItems, orgs.problems));
  const knownIds = orgItems.map(idOf).filter((id) => id !== undefined);
  const rules = parseRoutingRules(ruleItems, knownIds);
  if (!rules.ok) problems.push(...underList("rules", "rule", ruleItems, rules.problems));
  if (orgs.ok) {
    const fallbackProblems = checkFallbackOrganisation(orgs.organisations, fallbackOrganisation);
    problems.push(...fallbackProblems.map((problem) => ({ ...problem, path: "fallbackOrganisation" })));
  }
  if (!orgs.ok || !rules.ok || problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    setup: { organisations: orgs.organisations, fallbackOrgId: fallbackOrganisation as string, rules: rules.rules },
  };
}

/**
 * Reads and validates an organisations YAML file. Throws a one-line ConfigError naming the file, the path in it
 * and the first problem (with how many more there are).
 */
export function loadOrganisationsFile(path: string): OrganisationsSetup {
  const result = parseOrganisationsDocument(readYamlFile(path));
  if (result.ok) return result.setup;
  const [first] = result.problems;
  const more = result.problems.length - 1;
  const where = first === undefined || first.path === "" ? "" : `${first.path}: `;
  throw new ConfigError(
    `${path}: ${where}${first?.message ?? "invalid organisations"}${more > 0 ? ` (and ${more} more)` : ""}`,
  );
}
