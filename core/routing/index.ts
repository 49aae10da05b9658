// Routing: which partner organisations are offered a case, in what order, and why.
// Pure domain: no I/O. The router bot (bots/) builds the input from the database and the clock and posts offers;
// the round-robin cursor is stored by core/db/repositories/organisations.ts.
export {
  AGE_GROUPS,
  ANY_MATCHING_ORG,
  CASE_LANGUAGES,
  REASON_CODES,
  type AgeGroup,
  type CaseFacts,
  type CaseLanguage,
  type OrganisationState,
  type ReasonCode,
  type RoutingCandidate,
  type RoutingDecision,
  type RoutingExclusion,
  type RoutingInput,
  type RoutingReason,
  type RoutingRule,
  type RuleMatch,
} from "./types.ts";
export { assessOrganisation, matchingRule, route, ruleMatches, type OrganisationAssessment } from "./route.ts";
export { explainDecision } from "./explain.ts";
export { caseFactsFromStored, organisationStateAt, type OrganisationLoad, type StoredTriage } from "./state.ts";
export {
  checkFallbackOrganisation,
  parseRoutingRules,
  routingRuleSchema,
  type ParseRoutingRulesResult,
  type RoutingProblem,
} from "./validate.ts";
