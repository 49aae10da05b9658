import type { Organisation } from "../../../core/organisations/index.ts";
import type { CaseFacts, OrganisationState, RoutingDecision, RoutingInput } from "../../../core/routing/index.ts";

export { hotline, organisation } from "../organisations/fixtures.ts";

/** An adult's non-urgent domestic-violence case in Phnom Penh, in Khmer. */
export function facts(overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    category: "domestic_violence",
    province: "phnom_penh",
    serviceLanguage: "km",
    urgent: false,
    under18: false,
    ...overrides,
  };
}

/** The organisation open now with no active cases, unless told otherwise. */
export function state(organisation: Organisation, overrides: Partial<OrganisationState> = {}): OrganisationState {
  return { organisation, openNow: true, activeCases: 0, ...overrides };
}

export function input(overrides: Partial<RoutingInput> & Pick<RoutingInput, "orgs">): RoutingInput {
  return { facts: facts(), rules: [], fallbackOrgId: "hotline", ...overrides };
}

export const candidateIds = (decision: RoutingDecision): string[] => decision.candidates.map((c) => c.orgId);
export const excludedIds = (decision: RoutingDecision): string[] => decision.excluded.map((e) => e.orgId);

export function reasonsOf(decision: RoutingDecision, orgId: string): { code: string; text: string }[] {
  const found =
    decision.candidates.find((candidate) => candidate.orgId === orgId) ??
    decision.excluded.find((exclusion) => exclusion.orgId === orgId);
  if (found === undefined) throw new Error(`${orgId} is not in the decision`);
  return found.reasons.map(({ code, text }) => ({ code, text }));
}

export const codesOf = (decision: RoutingDecision, orgId: string): string[] =>
  reasonsOf(decision, orgId).map((reason) => reason.code);
