// Properties the router must keep for every case and every state of the coalition, checked over generated inputs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CATEGORIES, PROVINCES, SERVICE_AREAS, SERVICE_LANGUAGES } from "../../../core/directory/taxonomy.ts";
import type { Organisation } from "../../../core/organisations/index.ts";
import {
  AGE_GROUPS,
  CASE_LANGUAGES,
  REASON_CODES,
  explainDecision,
  route,
  type CaseFacts,
  type OrganisationState,
  type RoutingInput,
  type RoutingRule,
  type RuleMatch,
} from "../../../core/routing/index.ts";
import { organisation, state } from "./fixtures.ts";

const ORG_IDS = ["ngo-a", "ngo-b", "ngo-c", "ngo-d", "ngo-e", "ngo-f"] as const;

const someOf = <T>(values: readonly T[]): fc.Arbitrary<T[]> => fc.subarray([...values], { minLength: 1 });

/** True with probability `percent`/100. */
const chance = (percent: number): fc.Arbitrary<boolean> => fc.integer({ min: 0, max: 99 }).map((n) => n < percent);

// Most generated values come from a few common ones, so that organisations often fit a case and the ranking,
// rule and tie-break paths are exercised, not only the fallback; the rest of the taxonomy still appears.
const COMMON_CATEGORIES = ["domestic_violence", "sexual_violence", "workplace_harassment"] as const;
const COMMON_AREAS = ["phnom_penh", "kandal", "nationwide"] as const;

const categoriesArb = fc.oneof(
  { weight: 4, arbitrary: fc.subarray([...COMMON_CATEGORIES], { minLength: 2 }) },
  { weight: 1, arbitrary: someOf(CATEGORIES) },
);
const areasArb = fc.oneof(
  { weight: 4, arbitrary: fc.subarray([...COMMON_AREAS], { minLength: 2 }) },
  { weight: 1, arbitrary: someOf(SERVICE_AREAS) },
);

function organisationArb(id: string): fc.Arbitrary<Organisation> {
  return fc
    .record({
      categories: categoriesArb,
      provinces: areasArb,
      languages: fc.oneof(
        { weight: 2, arbitrary: fc.constant([...SERVICE_LANGUAGES]) },
        { weight: 1, arbitrary: someOf(SERVICE_LANGUAGES) },
      ),
      alwaysOpen: chance(30),
      childProtection: chance(50),
      maxActiveCases: fc.integer({ min: 1, max: 5 }),
      responderCount: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: 1, max: 3 }) },
        { weight: 1, arbitrary: fc.constant(0) },
      ),
      linked: chance(95),
    })
    .chain((profile) =>
      fc.integer({ min: 1, max: profile.maxActiveCases }).map((perResponder) =>
        organisation({
          id,
          categories: profile.categories,
          provinces: profile.provinces,
          languages: profile.languages,
          alwaysOpen: profile.alwaysOpen,
          childProtection: profile.childProtection,
          capacity: { maxActiveCases: profile.maxActiveCases, maxActivePerResponder: perResponder },
          responders: Array.from({ length: profile.responderCount }, (_, n) => `@r${n}:${id}.example.org` as const),
          queueRoomId: profile.linked ? `!queue-${id}:${id}.example.org` : null,
        }),
      ),
    );
}

function stateArb(id: string): fc.Arbitrary<OrganisationState> {
  return organisationArb(id).chain((org) =>
    fc
      .record({
        openNow: chance(85),
        activeCases: fc.oneof(
          { weight: 5, arbitrary: fc.integer({ min: 0, max: org.capacity.maxActiveCases - 1 }) },
          { weight: 1, arbitrary: fc.constant(org.capacity.maxActiveCases) },
        ),
        loads: fc.option(
          fc.array(
            fc.oneof(
              { weight: 4, arbitrary: fc.integer({ min: 0, max: org.capacity.maxActivePerResponder - 1 }) },
              { weight: 1, arbitrary: fc.constant(org.capacity.maxActivePerResponder) },
            ),
            { minLength: 3, maxLength: 3 },
          ),
          { nil: undefined, freq: 3 },
        ),
      })
      .map(({ openNow, activeCases, loads }) =>
        state(org, {
          openNow,
          activeCases,
          ...(openNow ? {} : { nextOpening: { weekday: "mon" as const, time: "08:00" } }),
          ...(loads === undefined
            ? {}
            : { responderLoads: Object.fromEntries(org.responders.map((mxid, n) => [mxid, loads[n] ?? 0])) }),
        }),
      ),
  );
}

const factsArb: fc.Arbitrary<CaseFacts> = fc.record({
  category: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...COMMON_CATEGORIES) },
    { weight: 1, arbitrary: fc.constantFrom(...CATEGORIES) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  province: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("phnom_penh" as const, "kandal" as const) },
    { weight: 1, arbitrary: fc.constantFrom(...PROVINCES) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  serviceLanguage: fc.option(fc.constantFrom(...CASE_LANGUAGES), { nil: null }),
  urgent: chance(30),
  under18: chance(25),
});

/** A condition or two (a rule with many rarely matches a generated case), or none: a catch-all. */
const ruleMatchArb: fc.Arbitrary<RuleMatch> = fc
  .subarray(["categories", "provinces", "languages", "ageGroup", "urgent"] as const, { maxLength: 2 })
  .chain((keys) =>
    fc
      .record(
        {
          categories: fc.oneof(someOf(COMMON_CATEGORIES), someOf(CATEGORIES)),
          provinces: someOf(PROVINCES),
          languages: someOf(CASE_LANGUAGES),
          ageGroup: fc.constantFrom(...AGE_GROUPS),
          urgent: fc.boolean(),
        },
        { requiredKeys: [] },
      )
      .map((match) =>
        Object.fromEntries(Object.entries(match).filter(([key]) => (keys as readonly string[]).includes(key))),
      ),
  );

function ruleArb(ids: readonly string[], index: number): fc.Arbitrary<RoutingRule> {
  return fc.record({
    id: fc.constant(`rule-${index}`),
    match: ruleMatchArb,
    offerTo: fc.oneof(fc.constant("any" as const), fc.shuffledSubarray([...ids], { minLength: 1 })),
  });
}

const inputArb: fc.Arbitrary<RoutingInput> = fc.shuffledSubarray([...ORG_IDS], { minLength: 1 }).chain((ids) =>
  fc.record({
    facts: factsArb,
    orgs: fc.tuple(...ids.map(stateArb)),
    rules: fc
      .integer({ min: 0, max: 3 })
      .chain((count) => fc.tuple(...Array.from({ length: count }, (_, n) => ruleArb(ids, n)))),
    fallbackOrgId: fc.constantFrom(...ids),
    roundRobinCursor: fc.integer({ min: -20, max: 20 }),
    excludeOrgIds: fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.subarray(ids, { maxLength: 1 }) },
    ),
  }),
);

const RUNS = { numRuns: 1000 };

function stateOf(input: RoutingInput, orgId: string): OrganisationState {
  const found = input.orgs.find((candidate) => candidate.organisation.id === orgId);
  if (found === undefined) throw new Error(`no ${orgId}`);
  return found;
}

describe("route: properties", () => {
  it("never offers a case to a closed or full organisation, unless it is the fallback", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const candidate of route(input).candidates) {
          if (candidate.orgId === input.fallbackOrgId) continue;
          const { openNow, activeCases, organisation: org } = stateOf(input, candidate.orgId);
          expect(openNow).toBe(true);
          expect(activeCases).toBeLessThan(org.capacity.maxActiveCases);
        }
      }),
      RUNS,
    );
  });

  it("offers a case only to organisations that take it, unless it is the fallback", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { facts } = input;
        for (const candidate of route(input).candidates) {
          if (candidate.orgId === input.fallbackOrgId) continue;
          const org = stateOf(input, candidate.orgId).organisation;
          if (facts.under18) expect(org.childProtection).toBe(true);
          if (facts.category !== null) expect(org.categories).toContain(facts.category);
          if (facts.serviceLanguage === "km" || facts.serviceLanguage === "en")
            expect(org.languages).toContain(facts.serviceLanguage);
          if (facts.province === "other") expect(org.provinces).toContain("nationwide");
          expect(org.queueRoomId).not.toBeNull();
          expect(org.responders.length).toBeGreaterThan(0);
          expect(input.excludeOrgIds).not.toContain(candidate.orgId);
        }
      }),
      RUNS,
    );
  });

  it("is deterministic: equal inputs, in any order of organisations, give equal decisions", () => {
    fc.assert(
      fc.property(
        inputArb.chain((input) =>
          fc.shuffledSubarray([...input.orgs], { minLength: input.orgs.length }).map((orgs) => [input, orgs] as const),
        ),
        ([input, shuffled]) => {
          const decision = route(input);
          expect(route(structuredClone(input))).toEqual(decision);
          expect(route({ ...input, orgs: shuffled })).toEqual(decision);
        },
      ),
      RUNS,
    );
  });

  it("explains every organisation exactly once, in candidates or excluded, each with a reason", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = route(input);
        const listed = [...decision.candidates.map((c) => c.orgId), ...decision.excluded.map((e) => e.orgId)];
        expect([...listed].sort()).toEqual(input.orgs.map((s) => s.organisation.id).sort());
        expect(new Set(listed).size).toBe(listed.length);
        for (const entry of [...decision.candidates, ...decision.excluded]) {
          expect(entry.reasons.length).toBeGreaterThan(0);
          for (const reason of entry.reasons) {
            expect(REASON_CODES).toContain(reason.code);
            expect(reason.text).not.toBe("");
          }
        }
        expect(decision.candidates.map((c) => c.rank)).toEqual(decision.candidates.map((_, index) => index + 1));
        const text = explainDecision(decision);
        for (const { organisation: org } of input.orgs) expect(text).toContain(org.id);
      }),
      RUNS,
    );
  });

  it("always has the fallback among the candidates, and only the fallback when nobody else can take the case", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = route(input);
        const ids = decision.candidates.map((c) => c.orgId);
        expect(ids).toContain(input.fallbackOrgId);
        const others = ids.filter((id) => id !== input.fallbackOrgId);
        expect(decision.fallbackUsed).toBe(others.length === 0);
        if (decision.fallbackUsed) expect(ids).toEqual([input.fallbackOrgId]);
        const fallback = decision.candidates.find((c) => c.orgId === input.fallbackOrgId);
        expect(fallback?.reasons[0]?.code).toBe("fallback");
      }),
      RUNS,
    );
  });

  it("puts 24/7 organisations first for an urgent case", () => {
    fc.assert(
      fc.property(
        inputArb.map((input) => ({ ...input, facts: { ...input.facts, urgent: true } })),
        (input) => {
          const flags = route(input)
            .candidates.filter((c) => c.orgId !== input.fallbackOrgId)
            .map((c) => stateOf(input, c.orgId).organisation.alwaysOpen);
          expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
        },
      ),
      RUNS,
    );
  });

  it("keeps to the deciding rule: only the organisations it names, in its order unless urgency reorders", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = route(input);
        const rule = input.rules.find((r) => r.id === decision.ruleId);
        if (rule === undefined || rule.offerTo === "any") return;
        // The fallback may also be added last whatever the rule says; every other candidate is the rule's.
        const others = decision.candidates.map((c) => c.orgId).filter((id) => id !== input.fallbackOrgId);
        for (const id of others) expect(rule.offerTo).toContain(id);
        if (!input.facts.urgent) {
          const order = others.map((id) => rule.offerTo.indexOf(id));
          expect(order).toEqual([...order].sort((a, b) => a - b));
        }
      }),
      RUNS,
    );
  });

  it("gives each of equally placed organisations the first offer once per round", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: -50, max: 50 }), (count, start) => {
        const ids = ORG_IDS.slice(0, count);
        const fallback = organisation({ id: "hotline", alwaysOpen: true });
        const input: RoutingInput = {
          facts: {
            category: "domestic_violence",
            province: "phnom_penh",
            serviceLanguage: "km",
            urgent: false,
            under18: false,
          },
          orgs: [...ids.map((id) => state(organisation({ id }))), state(fallback)],
          rules: [],
          fallbackOrgId: "hotline",
        };
        const firsts: string[] = [];
        let cursor = start;
        for (let turn = 0; turn < count; turn += 1) {
          const decision = route({ ...input, roundRobinCursor: cursor });
          firsts.push(decision.candidates[0]?.orgId ?? "");
          cursor = decision.nextRoundRobinCursor;
        }
        expect([...firsts].sort()).toEqual([...ids]);
      }),
      { numRuns: 200 },
    );
  });
});
