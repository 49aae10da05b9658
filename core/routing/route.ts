// The routing engine: which partner organisations are offered a case, in what order, and why.
// Pure and deterministic: the same input gives the same decision (no clock, no randomness; the caller says
// which organisations are open and stores the round-robin cursor), whatever the order of `orgs`.
import { NATIONWIDE } from "../directory/taxonomy.ts";
import type {
  CaseFacts,
  OrganisationState,
  RoutingCandidate,
  RoutingDecision,
  RoutingExclusion,
  RoutingInput,
  RoutingReason,
  RoutingRule,
  RuleMatch,
} from "./types.ts";
import { categoryWords, languageWords, openingWords, ordinal, percent, provinceWords } from "./words.ts";

/** Whether every condition of the rule holds for the case. */
export function ruleMatches(match: RuleMatch, facts: CaseFacts): boolean {
  const { categories, provinces, languages, ageGroup, urgent } = match;
  if (categories !== undefined && (facts.category === null || !categories.includes(facts.category))) return false;
  if (provinces !== undefined && (facts.province === null || !provinces.includes(facts.province))) return false;
  if (languages !== undefined && !languages.includes(facts.serviceLanguage ?? "either")) return false;
  if (ageGroup !== undefined && ageGroup !== (facts.under18 ? "under18" : "adult")) return false;
  if (urgent !== undefined && urgent !== facts.urgent) return false;
  return true;
}

/** The rule that decides for this case: the first whose match fits. */
export function matchingRule(rules: readonly RoutingRule[], facts: CaseFacts): RoutingRule | undefined {
  return rules.find((rule) => ruleMatches(rule.match, facts));
}

interface Verdicts {
  readonly met: RoutingReason[];
  readonly failed: RoutingReason[];
}

function verdicts(): Verdicts {
  return { met: [], failed: [] };
}

/** Whether the organisation can help her: what she needs, where she is, her language, her age. */
function judgeFit(state: OrganisationState, facts: CaseFacts, into: Verdicts): void {
  const org = state.organisation;
  const { category, province, serviceLanguage } = facts;
  if (category === null) into.met.push({ code: "serves-category", text: "no kind of help given, so any" });
  else if (org.categories.includes(category))
    into.met.push({ code: "serves-category", text: `works on ${categoryWords(category)}` });
  else into.failed.push({ code: "category-not-served", text: `does not work on ${categoryWords(category)}` });

  const nationwide = org.provinces.includes(NATIONWIDE);
  if (province === null) into.met.push({ code: "serves-province", text: "no province given, so any" });
  else if (province === "other") {
    if (nationwide)
      into.met.push({ code: "serves-province", text: "works nationwide (she is in a province not listed)" });
    else
      into.failed.push({
        code: "province-not-served",
        text: "does not work nationwide (she is in a province not listed)",
      });
  } else if (org.provinces.includes(province))
    into.met.push({ code: "serves-province", text: `serves ${provinceWords(province)}` });
  else if (nationwide)
    into.met.push({ code: "serves-province", text: `works nationwide, ${provinceWords(province)} included` });
  else into.failed.push({ code: "province-not-served", text: `does not serve ${provinceWords(province)}` });

  if (serviceLanguage === null || serviceLanguage === "either")
    into.met.push({ code: "speaks-language", text: "she has no language preference" });
  else if (org.languages.includes(serviceLanguage))
    into.met.push({ code: "speaks-language", text: `speaks ${languageWords(serviceLanguage)}` });
  else into.failed.push({ code: "language-not-spoken", text: `does not speak ${languageWords(serviceLanguage)}` });

  if (facts.under18) {
    if (org.childProtection) into.met.push({ code: "child-protection", text: "takes under-18 cases" });
    else
      into.failed.push({
        code: "not-child-protection",
        text: "not a child-protection organisation (she is under 18)",
      });
  }
}

/** Whether the organisation can take a case now: open, room for one more, someone to claim, a queue room. */
function judgeAvailability(state: OrganisationState, into: Verdicts): void {
  const org = state.organisation;
  if (state.openNow)
    into.met.push(org.alwaysOpen ? { code: "always-open", text: "open 24/7" } : { code: "open-now", text: "open now" });
  else {
    const opens = state.nextOpening === undefined ? "" : ` (opens ${openingWords(state.nextOpening)})`;
    into.failed.push({ code: "closed-now", text: `closed now${opens}` });
  }

  const { maxActiveCases, maxActivePerResponder } = org.capacity;
  const load = `${state.activeCases} of ${maxActiveCases} active cases`;
  const full = state.activeCases >= maxActiveCases;
  if (full) into.failed.push({ code: "full", text: `full: ${load}` });

  const loads = state.responderLoads;
  let responders = "";
  if (org.responders.length === 0) into.failed.push({ code: "no-responders", text: "no responders listed" });
  else if (loads !== undefined) {
    const free = org.responders.filter((mxid) => (loads[mxid] ?? 0) < maxActivePerResponder).length;
    if (free === 0)
      into.failed.push({
        code: "responders-busy",
        text: `every responder already has ${maxActivePerResponder} active cases (the limit)`,
      });
    else responders = `; ${free} of ${org.responders.length} responders below their limit of ${maxActivePerResponder}`;
  }
  if (!full && !into.failed.some((reason) => reason.code === "responders-busy" || reason.code === "no-responders")) {
    into.met.push({
      code: "has-capacity",
      text: `${load} (${percent(state.activeCases, maxActiveCases)})${responders}`,
    });
  }

  if (org.queueRoomId === null) into.failed.push({ code: "not-linked", text: "no queue room linked yet" });
}

/** What one organisation offers this case, with no rule applied. */
export interface OrganisationAssessment {
  /** Meets every criterion: fits the case, open now, room for one more, a responder free, a queue room linked. */
  readonly canTake: boolean;
  readonly met: readonly RoutingReason[];
  readonly failed: readonly RoutingReason[];
}

/**
 * Whether one organisation can take the case now, and why (or why not), leaving rules aside: what a transfer
 * to a chosen organisation must check. Uses the same criteria as `route`.
 */
export function assessOrganisation(facts: CaseFacts, state: OrganisationState): OrganisationAssessment {
  const judged = verdicts();
  judgeFit(state, facts, judged);
  judgeAvailability(state, judged);
  return { canTake: judged.failed.length === 0, met: judged.met, failed: judged.failed };
}

interface Assessment {
  readonly state: OrganisationState;
  readonly id: string;
  readonly verdicts: Verdicts;
  /** Where the deciding rule lists it (0 for `any` or no rule); undefined when the rule leaves it out. */
  readonly rulePosition: number | undefined;
  /** The fallback, not named by the deciding rule: offered after the others that can take the case. */
  readonly heldBack: boolean;
  /** Its place in this case's round-robin turn, 0 first. */
  readonly roundRobinKey: number;
}

function ruleReason(rule: RoutingRule | undefined, position: number): RoutingReason {
  if (rule === undefined) return { code: "no-rule", text: "no rule matched: any organisation that can take the case" };
  if (rule.offerTo === "any")
    return { code: "rule-any", text: `rule ${rule.id}: any organisation that can take the case` };
  return { code: "rule-order", text: `rule ${rule.id} lists it ${ordinal(position + 1)} of ${rule.offerTo.length}` };
}

/** Negative when `a` is less loaded relative to its capacity; exact (no floating point). */
function compareLoad(a: OrganisationState, b: OrganisationState): number {
  return (
    a.activeCases * b.organisation.capacity.maxActiveCases - b.activeCases * a.organisation.capacity.maxActiveCases
  );
}

type RankFactor = "urgency" | "fallback" | "rule-order" | "load" | "round-robin";

/** The first ranking key on which `a` and `b` differ (the caller knows which is ahead). */
function rankFactor(a: Assessment, b: Assessment, urgent: boolean): RankFactor {
  if (urgent && a.state.organisation.alwaysOpen !== b.state.organisation.alwaysOpen) return "urgency";
  if (a.heldBack !== b.heldBack) return "fallback";
  if ((a.rulePosition ?? 0) !== (b.rulePosition ?? 0)) return "rule-order";
  if (compareLoad(a.state, b.state) !== 0) return "load";
  return "round-robin";
}

function compareCandidates(a: Assessment, b: Assessment, urgent: boolean): number {
  return (
    (urgent ? Number(b.state.organisation.alwaysOpen) - Number(a.state.organisation.alwaysOpen) : 0) ||
    Number(a.heldBack) - Number(b.heldBack) ||
    (a.rulePosition ?? 0) - (b.rulePosition ?? 0) ||
    compareLoad(a.state, b.state) ||
    a.roundRobinKey - b.roundRobinKey
  );
}

function loadShare(state: OrganisationState): string {
  return percent(state.activeCases, state.organisation.capacity.maxActiveCases);
}

/** Why `ahead` ranks just before `behind`, told from `ahead`'s side or from `behind`'s. */
function rankReason(
  ahead: Assessment,
  behind: Assessment,
  side: "ahead" | "behind",
  rule: RoutingRule | undefined,
  urgent: boolean,
): RoutingReason {
  const factor = rankFactor(ahead, behind, urgent);
  const other = side === "ahead" ? behind.id : ahead.id;
  const lead = side === "ahead" ? `ahead of ${other}` : `after ${other}`;
  switch (factor) {
    case "urgency":
      return {
        code: "ranked-by-urgency",
        text:
          side === "ahead"
            ? `${lead}: the case is urgent and it is open 24/7`
            : `${lead}: the case is urgent and ${other} is open 24/7`,
      };
    case "fallback":
      return {
        code: "ranked-as-fallback",
        text:
          side === "ahead"
            ? `${lead}: ${other} is the fallback, offered after the others`
            : `${lead}: the fallback is offered after the others`,
      };
    case "rule-order":
      return {
        code: "ranked-by-rule-order",
        text: `${lead}: rule ${rule?.id ?? "?"} lists ${side === "ahead" ? "it" : other} earlier`,
      };
    case "load": {
      const mine = side === "ahead" ? ahead.state : behind.state;
      const theirs = side === "ahead" ? behind.state : ahead.state;
      return {
        code: "ranked-by-load",
        text: `${lead}: ${side === "ahead" ? "less" : "more"} loaded (${loadShare(mine)} vs ${loadShare(theirs)} of capacity)`,
      };
    }
    case "round-robin":
      return {
        code: "ranked-by-round-robin",
        text:
          side === "ahead"
            ? `${lead}: equally loaded, and its round-robin turn comes first`
            : `${lead}: equally loaded, and ${other}'s round-robin turn comes first`,
      };
  }
}

function checkInput(input: RoutingInput): void {
  const seen = new Set<string>();
  for (const { organisation, activeCases } of input.orgs) {
    if (seen.has(organisation.id)) throw new Error(`routing input names organisation ${organisation.id} twice`);
    seen.add(organisation.id);
    if (!Number.isSafeInteger(activeCases) || activeCases < 0) {
      throw new RangeError(`routing input: ${organisation.id} has ${activeCases} active cases`);
    }
  }
  if (!seen.has(input.fallbackOrgId)) {
    throw new Error(`routing input: the fallback organisation ${input.fallbackOrgId} is not among the organisations`);
  }
  const cursor = input.roundRobinCursor ?? 0;
  if (!Number.isSafeInteger(cursor))
    throw new RangeError(`routing input: round-robin cursor ${cursor} is not a whole number`);
}

const byId = (a: { readonly id: string }, b: { readonly id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Ranks the organisations for a case. Candidates are the organisations that can take it (what she needs, where
 * she is, her language, her age; open now, room for one more, a responder free, a queue room linked; not
 * declined already) and that the deciding rule allows, ordered by:
 *   1. for an urgent case, 24/7 organisations first;
 *   2. the fallback after the others, unless the rule names it;
 *   3. the rule's order of preference;
 *   4. least loaded relative to capacity;
 *   5. round robin from the cursor (a total order, so the result never depends on the order of `orgs`).
 * The fallback organisation is always a candidate: when it cannot take the case on its own merits (closed, full,
 * declined, left out by the rule…) it is added last, alone when nobody else can take the case. A case never goes
 * nowhere. Every organisation appears exactly once, in `candidates` or in `excluded`, with its reasons.
 *
 * Throws (a programming or configuration error, checked at load time) when an organisation id is repeated, the
 * fallback is missing, a load is not a non-negative whole number or the cursor not a whole number.
 */
export function route(input: RoutingInput): RoutingDecision {
  checkInput(input);
  const { facts } = input;
  const rule = matchingRule(input.rules, facts);
  const declined = new Set(input.excludeOrgIds ?? []);
  const ids = input.orgs.map((state) => state.organisation.id).sort();
  const indexById = new Map(ids.map((id, index) => [id, index]));
  const count = ids.length;
  const cursor = (((input.roundRobinCursor ?? 0) % count) + count) % count;

  const assessments: Assessment[] = input.orgs.map((state) => {
    const id = state.organisation.id;
    const judged = verdicts();
    judgeFit(state, facts, judged);
    judgeAvailability(state, judged);
    if (declined.has(id))
      judged.failed.push({ code: "declined-earlier", text: "already declined this case or let its offer lapse" });
    let rulePosition: number | undefined = 0;
    if (rule !== undefined && rule.offerTo !== "any") {
      const listed = rule.offerTo.indexOf(id);
      rulePosition = listed === -1 ? undefined : listed;
      if (rulePosition === undefined)
        judged.failed.push({ code: "not-in-rule", text: `rule ${rule.id} offers to ${rule.offerTo.join(", ")} only` });
    }
    return {
      state,
      id,
      verdicts: judged,
      rulePosition,
      heldBack: id === input.fallbackOrgId && (rule === undefined || rule.offerTo === "any"),
      roundRobinKey: ((indexById.get(id) ?? 0) - cursor + count) % count,
    };
  });

  const ranked = assessments
    .filter((assessment) => assessment.verdicts.failed.length === 0)
    .sort((a, b) => compareCandidates(a, b, facts.urgent));
  const fallbackUsed = !ranked.some((assessment) => assessment.id !== input.fallbackOrgId);
  const fallbackRanked = ranked.some((assessment) => assessment.id === input.fallbackOrgId);
  const fallbackReason: RoutingReason = fallbackUsed
    ? { code: "fallback", text: "fallback organisation: no other organisation can take this case" }
    : fallbackRanked
      ? { code: "fallback", text: "the fallback organisation" }
      : { code: "fallback", text: "fallback organisation: last in line, after the organisations above" };

  const candidates: RoutingCandidate[] = ranked.map((assessment, index) => {
    const reasons: RoutingReason[] = [ruleReason(rule, assessment.rulePosition ?? 0), ...assessment.verdicts.met];
    if (assessment.id === input.fallbackOrgId) reasons.unshift(fallbackReason);
    const previous = ranked[index - 1];
    const next = ranked[index + 1];
    if (previous !== undefined) reasons.push(rankReason(previous, assessment, "behind", rule, facts.urgent));
    else if (next !== undefined) reasons.push(rankReason(assessment, next, "ahead", rule, facts.urgent));
    return { orgId: assessment.id, rank: index + 1, reasons };
  });
  if (!fallbackRanked) {
    // Not a candidate on its own merits: it still takes the case, last, so that the case never goes nowhere.
    const fallback = assessments.find((assessment) => assessment.id === input.fallbackOrgId);
    if (fallback === undefined) throw new Error("unreachable: the fallback was checked");
    candidates.push({
      orgId: fallback.id,
      rank: candidates.length + 1,
      reasons: [fallbackReason, ...fallback.verdicts.met, ...fallback.verdicts.failed],
    });
  }

  const candidateIds = new Set(candidates.map((candidate) => candidate.orgId));
  const excluded: RoutingExclusion[] = assessments
    .filter((assessment) => !candidateIds.has(assessment.id))
    .sort(byId)
    .map((assessment) => ({ orgId: assessment.id, reasons: assessment.verdicts.failed }));

  const first = candidates[0]?.orgId ?? input.fallbackOrgId;
  const decision: RoutingDecision = {
    candidates,
    excluded,
    fallbackUsed,
    nextRoundRobinCursor: ((indexById.get(first) ?? 0) + 1) % count,
  };
  return rule === undefined ? decision : { ...decision, ruleId: rule.id };
}
