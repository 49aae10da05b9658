// What the routing engine reads and what it answers. Plain data: the router bot builds the input from the
// database and the clock, the engine decides, the admin API shows the decision to a coordinator.
import type { Category, Province } from "../directory/taxonomy.ts";
import type { LocalOpening, Organisation } from "../organisations/index.ts";

/** The language she wants her helper to speak; `either` (or no answer) matches every organisation. */
export const CASE_LANGUAGES = ["km", "en", "either"] as const;
export type CaseLanguage = (typeof CASE_LANGUAGES)[number];

export const AGE_GROUPS = ["under18", "adult"] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** The triage facts stored on a case: all the engine knows about her. Null is "she did not say". */
export interface CaseFacts {
  readonly category: Category | null;
  /** `other`: a province not listed, so only nationwide organisations serve her. */
  readonly province: Province | null;
  readonly serviceLanguage: CaseLanguage | null;
  /** She said she is in danger now. */
  readonly urgent: boolean;
  readonly under18: boolean;
}

/**
 * When a rule applies. Every condition given must hold; a rule without conditions matches every case.
 * A list matches a case whose fact is in it; a case that did not answer (null) matches no list, except that no
 * language preference counts as `either`.
 */
export interface RuleMatch {
  readonly categories?: readonly Category[] | undefined;
  readonly provinces?: readonly Province[] | undefined;
  readonly languages?: readonly CaseLanguage[] | undefined;
  readonly ageGroup?: AgeGroup | undefined;
  readonly urgent?: boolean | undefined;
}

/** Offer to every organisation that can take the case, ranked by load and round robin. */
export const ANY_MATCHING_ORG = "any";

/**
 * A coordinator's routing preference, declared as data. The first rule (in list order) whose `match` fits the case
 * decides which organisations are offered it: `offerTo` lists them in order of preference, or says `any`.
 * Rules narrow and order; they never override what an organisation can take (category, province, language,
 * age group, hours, capacity). With no rule matching, every organisation that can take the case is a candidate.
 */
export interface RoutingRule {
  /** Stable and unique (same format as organisation ids): decisions and offers record it. */
  readonly id: string;
  /** For coordinators reading the rules; not used by the engine. */
  readonly description?: string | undefined;
  readonly match: RuleMatch;
  readonly offerTo: readonly string[] | typeof ANY_MATCHING_ORG;
}

/** One organisation as it stands at the moment of routing. */
export interface OrganisationState {
  readonly organisation: Organisation;
  /** Whether someone can claim now (`isOrganisationOpenAt`). */
  readonly openNow: boolean;
  /** When a closed organisation opens next, for the explanation (`nextOpeningAfter`). */
  readonly nextOpening?: LocalOpening | undefined;
  /** Cases it holds now (claimed or active). A non-negative whole number. */
  readonly activeCases: number;
  /** Cases each responder holds now, by Matrix ID (missing: none). Omitted: per-responder limits not checked. */
  readonly responderLoads?: Readonly<Record<string, number>> | undefined;
}

export interface RoutingInput {
  readonly facts: CaseFacts;
  /** Every partner organisation, each once, the fallback included. Order does not matter. */
  readonly orgs: readonly OrganisationState[];
  readonly rules: readonly RoutingRule[];
  /** The 24/7 organisation a case goes to when nobody else can take it. Must be in `orgs`. */
  readonly fallbackOrgId: string;
  /** Where round robin stands; store the decision's `nextRoundRobinCursor` and pass it next time. Default 0. */
  readonly roundRobinCursor?: number | undefined;
  /** Organisations that already declined this case or let its offer lapse. */
  readonly excludeOrgIds?: readonly string[] | undefined;
}

/**
 * Why an organisation is or is not a candidate. The code is stable (for the admin API, metrics and tests); the
 * text is English for coordinators.
 */
export const REASON_CODES = [
  // which rule decided
  "rule-order",
  "rule-any",
  "no-rule",
  // included because it is the fallback
  "fallback",
  // criteria it meets
  "serves-category",
  "serves-province",
  "speaks-language",
  "child-protection",
  "open-now",
  "always-open",
  "has-capacity",
  // criteria it fails
  "category-not-served",
  "province-not-served",
  "language-not-spoken",
  "not-child-protection",
  "closed-now",
  "full",
  "responders-busy",
  "no-responders",
  "not-linked",
  "declined-earlier",
  "not-in-rule",
  // why it ranks where it does, against its neighbour in the list
  "ranked-by-urgency",
  "ranked-as-fallback",
  "ranked-by-rule-order",
  "ranked-by-load",
  "ranked-by-round-robin",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface RoutingReason {
  readonly code: ReasonCode;
  readonly text: string;
}

export interface RoutingCandidate {
  readonly orgId: string;
  /** 1 is offered first; then 2 when 1 declines or its claim SLA passes; and so on. */
  readonly rank: number;
  readonly reasons: readonly RoutingReason[];
}

export interface RoutingExclusion {
  readonly orgId: string;
  /** Every criterion it fails; at least one. */
  readonly reasons: readonly RoutingReason[];
}

export interface RoutingDecision {
  /** Never empty: the fallback organisation is always last (or only). */
  readonly candidates: readonly RoutingCandidate[];
  /** Every other organisation of the input, by id. */
  readonly excluded: readonly RoutingExclusion[];
  /** Nobody but the fallback can take the case: the monitors should hear of it. */
  readonly fallbackUsed: boolean;
  /** The rule that decided; absent when no rule matched. */
  readonly ruleId?: string;
  /** The cursor to store for the next case. */
  readonly nextRoundRobinCursor: number;
}
