import { describe, expect, it } from "vitest";
import {
  assessOrganisation,
  caseFactsFromStored,
  explainDecision,
  route,
  type CaseFacts,
  type OrganisationState,
  type RoutingInput,
  type RoutingRule,
} from "../../../core/routing/index.ts";
import {
  candidateIds,
  codesOf,
  excludedIds,
  facts,
  hotline,
  input,
  organisation,
  reasonsOf,
  state,
} from "./fixtures.ts";

const ngoA = organisation({ id: "ngo-a" });
const ngoB = organisation({ id: "ngo-b" });
const ngoC = organisation({ id: "ngo-c" });

describe("route: why an organisation is left out", () => {
  const cases: readonly [string, Partial<OrganisationState>, Partial<RoutingInput>, { code: string; text: string }][] =
    [
      [
        "a kind of help it does not give",
        {},
        { facts: facts({ category: "online_abuse" }) },
        { code: "category-not-served", text: "does not work on online abuse" },
      ],
      [
        "a province it does not serve",
        {},
        { facts: facts({ province: "siem_reap" }) },
        { code: "province-not-served", text: "does not serve Siem Reap" },
      ],
      [
        "a province not listed, when it does not work nationwide",
        {},
        { facts: facts({ province: "other" }) },
        { code: "province-not-served", text: "does not work nationwide (she is in a province not listed)" },
      ],
      [
        "a language it does not speak",
        { organisation: organisation({ id: "ngo-a", languages: ["km"] }) },
        { facts: facts({ serviceLanguage: "en" }) },
        { code: "language-not-spoken", text: "does not speak English" },
      ],
      [
        "a survivor under 18, when it is not a child-protection organisation",
        {},
        { facts: facts({ under18: true }) },
        { code: "not-child-protection", text: "not a child-protection organisation (she is under 18)" },
      ],
      [
        "being closed, with when it opens",
        { openNow: false, nextOpening: { weekday: "mon", time: "08:00" } },
        {},
        { code: "closed-now", text: "closed now (opens Mon 08:00)" },
      ],
      ["being closed, with no known opening", { openNow: false }, {}, { code: "closed-now", text: "closed now" }],
      ["being full", { activeCases: 10 }, {}, { code: "full", text: "full: 10 of 10 active cases" }],
      [
        "every responder at the per-responder limit",
        {
          responderLoads: { "@responder1:ngo-a.example.org": 5, "@responder2:ngo-a.example.org": 7, "@gone:x.org": 0 },
        },
        {},
        { code: "responders-busy", text: "every responder already has 5 active cases (the limit)" },
      ],
      [
        "having no responders",
        { organisation: organisation({ id: "ngo-a", responders: [] }) },
        {},
        { code: "no-responders", text: "no responders listed" },
      ],
      [
        "having no queue room yet",
        { organisation: organisation({ id: "ngo-a", queueRoomId: null }) },
        {},
        { code: "not-linked", text: "no queue room linked yet" },
      ],
      [
        "having declined the case already",
        {},
        { excludeOrgIds: ["ngo-a"] },
        { code: "declined-earlier", text: "already declined this case or let its offer lapse" },
      ],
      [
        "a rule that offers the case to others",
        {},
        { rules: [{ id: "to-b", match: {}, offerTo: ["ngo-b"] }] },
        { code: "not-in-rule", text: "rule to-b offers to ngo-b only" },
      ],
    ];

  it.each(cases)("%s", (_name, change, inputChange, reason) => {
    const decision = route(input({ orgs: [state(ngoA, change), state(ngoB), state(hotline())], ...inputChange }));
    expect(excludedIds(decision)).toContain("ngo-a");
    expect(reasonsOf(decision, "ngo-a")).toEqual([reason]);
  });

  it("lists every criterion an organisation fails, not just the first", () => {
    const decision = route(
      input({
        facts: facts({ category: "trafficking", province: "takeo", under18: true }),
        orgs: [state(ngoA, { openNow: false, activeCases: 12 }), state(hotline())],
      }),
    );
    expect(codesOf(decision, "ngo-a")).toEqual([
      "category-not-served",
      "province-not-served",
      "not-child-protection",
      "closed-now",
      "full",
    ]);
  });
});

describe("route: what matches", () => {
  const englishOnly = organisation({ id: "ngo-a", languages: ["en"], provinces: ["nationwide"] });

  it.each<[string, Partial<CaseFacts>]>([
    ["no language preference", { serviceLanguage: null }],
    ["either language", { serviceLanguage: "either" }],
    ["no province given", { province: null }],
    ["a province not listed, for a nationwide organisation", { province: "other", serviceLanguage: "en" }],
    ["no kind of help given", { category: null, serviceLanguage: "en" }],
  ])("%s", (_name, change) => {
    const decision = route(
      input({ facts: facts({ serviceLanguage: "either", ...change }), orgs: [state(englishOnly), state(hotline())] }),
    );
    expect(candidateIds(decision)[0]).toBe("ngo-a");
  });

  it("takes an under-18 case to a child-protection organisation", () => {
    const child = organisation({ id: "ngo-a", childProtection: true });
    const decision = route(
      input({ facts: facts({ under18: true }), orgs: [state(child), state(ngoB), state(hotline())] }),
    );
    expect(candidateIds(decision)).toEqual(["ngo-a", "hotline"]);
    expect(codesOf(decision, "ngo-a")).toContain("child-protection");
    expect(codesOf(decision, "ngo-b")).toEqual(["not-child-protection"]);
  });

  it("explains each criterion met, with the load", () => {
    const decision = route(input({ orgs: [state(ngoA, { activeCases: 3 }), state(hotline())] }));
    expect(reasonsOf(decision, "ngo-a")).toEqual([
      { code: "no-rule", text: "no rule matched: any organisation that can take the case" },
      { code: "serves-category", text: "works on domestic violence" },
      { code: "serves-province", text: "serves Phnom Penh" },
      { code: "speaks-language", text: "speaks Khmer" },
      { code: "open-now", text: "open now" },
      { code: "has-capacity", text: "3 of 10 active cases (30%)" },
      { code: "ranked-as-fallback", text: "ahead of hotline: hotline is the fallback, offered after the others" },
    ]);
  });

  it("counts free responders when their loads are known", () => {
    const decision = route(
      input({
        orgs: [
          state(ngoA, { activeCases: 5, responderLoads: { "@responder1:ngo-a.example.org": 5 } }),
          state(hotline()),
        ],
      }),
    );
    expect(reasonsOf(decision, "ngo-a")).toContainEqual({
      code: "has-capacity",
      text: "5 of 10 active cases (50%); 1 of 2 responders below their limit of 5",
    });
  });
});

describe("route: ranking", () => {
  it("prefers the least loaded relative to capacity, and says so on both sides", () => {
    const big = organisation({ id: "ngo-a", capacity: { maxActiveCases: 20, maxActivePerResponder: 5 } });
    const small = organisation({ id: "ngo-b", capacity: { maxActiveCases: 2, maxActivePerResponder: 2 } });
    const decision = route(
      input({
        orgs: [
          state(big, { activeCases: 8 }),
          state(small, { activeCases: 1 }),
          state(hotline({ categories: ["hotline"] })),
        ],
      }),
    );
    expect(candidateIds(decision)).toEqual(["ngo-a", "ngo-b", "hotline"]);
    expect(reasonsOf(decision, "ngo-a")).toContainEqual({
      code: "ranked-by-load",
      text: "ahead of ngo-b: less loaded (40% vs 50% of capacity)",
    });
    expect(reasonsOf(decision, "ngo-b")).toContainEqual({
      code: "ranked-by-load",
      text: "after ngo-a: more loaded (50% vs 40% of capacity)",
    });
  });

  it("follows the rule's order of preference before load", () => {
    const rules: RoutingRule[] = [{ id: "b-then-a", match: {}, offerTo: ["ngo-b", "ngo-a"] }];
    const decision = route(input({ rules, orgs: [state(ngoA), state(ngoB, { activeCases: 9 }), state(hotline())] }));
    expect(decision.ruleId).toBe("b-then-a");
    expect(candidateIds(decision)).toEqual(["ngo-b", "ngo-a", "hotline"]);
    expect(reasonsOf(decision, "ngo-b")).toEqual(
      expect.arrayContaining([
        { code: "rule-order", text: "rule b-then-a lists it 1st of 2" },
        { code: "ranked-by-rule-order", text: "ahead of ngo-a: rule b-then-a lists it earlier" },
      ]),
    );
    expect(reasonsOf(decision, "ngo-a")).toContainEqual({
      code: "ranked-by-rule-order",
      text: "after ngo-b: rule b-then-a lists ngo-b earlier",
    });
  });

  it("puts 24/7 organisations first for an urgent case, before the rule's order and load", () => {
    const nightLine = organisation({
      id: "ngo-c",
      alwaysOpen: true,
      hours: { timeZone: "Asia/Phnom_Penh", always: true, weekly: {} },
    });
    const rules: RoutingRule[] = [{ id: "a-first", match: { urgent: true }, offerTo: ["ngo-a", "ngo-c"] }];
    const decision = route(
      input({
        facts: facts({ urgent: true }),
        rules,
        orgs: [state(ngoA), state(nightLine, { activeCases: 9 }), state(hotline())],
      }),
    );
    expect(candidateIds(decision)).toEqual(["ngo-c", "ngo-a", "hotline"]);
    expect(reasonsOf(decision, "ngo-c")).toContainEqual({
      code: "ranked-by-urgency",
      text: "ahead of ngo-a: the case is urgent and it is open 24/7",
    });
    expect(reasonsOf(decision, "ngo-a")).toContainEqual({
      code: "ranked-by-urgency",
      text: "after ngo-c: the case is urgent and ngo-c is open 24/7",
    });
  });

  it("does not reorder by the 24/7 flag when the case is not urgent", () => {
    const nightLine = organisation({ id: "ngo-c", alwaysOpen: true });
    const decision = route(input({ orgs: [state(ngoA), state(nightLine, { activeCases: 5 }), state(hotline())] }));
    expect(candidateIds(decision)).toEqual(["ngo-a", "ngo-c", "hotline"]);
  });

  it("breaks a tie by round robin, turning with the cursor the caller stores", () => {
    const orgs = [state(ngoC), state(ngoA), state(ngoB), state(hotline({ categories: ["hotline"] }))];
    const firsts: string[] = [];
    let cursor = 0;
    for (let turn = 0; turn < 6; turn += 1) {
      const decision = route(input({ orgs, roundRobinCursor: cursor }));
      firsts.push(candidateIds(decision)[0] ?? "");
      cursor = decision.nextRoundRobinCursor;
    }
    expect(firsts).toEqual(["ngo-a", "ngo-b", "ngo-c", "ngo-a", "ngo-b", "ngo-c"]);
    const decision = route(input({ orgs, roundRobinCursor: 2 }));
    expect(candidateIds(decision)).toEqual(["ngo-b", "ngo-c", "ngo-a", "hotline"]);
    expect(reasonsOf(decision, "ngo-b")).toContainEqual({
      code: "ranked-by-round-robin",
      text: "ahead of ngo-c: equally loaded, and its round-robin turn comes first",
    });
    expect(reasonsOf(decision, "ngo-c")).toContainEqual({
      code: "ranked-by-round-robin",
      text: "after ngo-b: equally loaded, and ngo-b's round-robin turn comes first",
    });
  });

  it("treats any whole cursor the same as its remainder, negative ones included", () => {
    const orgs = [state(ngoA), state(ngoB), state(ngoC), state(hotline({ categories: ["hotline"] }))];
    const at = (cursor: number): string[] => candidateIds(route(input({ orgs, roundRobinCursor: cursor })));
    expect(at(5)).toEqual(at(1));
    expect(at(-3)).toEqual(at(1));
    expect(at(4_000_000_001)).toEqual(at(1));
  });

  it("ignores the order of the organisations in the input", () => {
    const orgs = [state(ngoA, { activeCases: 2 }), state(ngoB), state(ngoC, { openNow: false }), state(hotline())];
    const forwards = route(input({ orgs, roundRobinCursor: 1 }));
    const backwards = route(input({ orgs: [...orgs].reverse(), roundRobinCursor: 1 }));
    expect(backwards).toEqual(forwards);
  });
});

describe("route: rules", () => {
  const rules: RoutingRule[] = [
    { id: "children", match: { ageGroup: "under18" }, offerTo: ["ngo-c"] },
    { id: "work", match: { categories: ["workplace_harassment"], provinces: ["phnom_penh"] }, offerTo: ["ngo-b"] },
    { id: "english", match: { languages: ["en"] }, offerTo: ["ngo-a"] },
    { id: "urgent-any", match: { urgent: true }, offerTo: "any" },
  ];
  const orgs = [
    state(ngoA),
    state(ngoB),
    state(organisation({ id: "ngo-c", childProtection: true })),
    state(hotline()),
  ];

  it.each<[string, Partial<CaseFacts>, string | undefined]>([
    ["the first matching rule decides", { under18: true, category: "workplace_harassment" }, "children"],
    ["every condition must hold", { category: "workplace_harassment", province: "kandal" }, undefined],
    ["a list condition matches a listed value", { category: "workplace_harassment" }, "work"],
    ["a language condition", { serviceLanguage: "en" }, "english"],
    ["no preference is not English", { serviceLanguage: null }, undefined],
    [
      "an unanswered province matches no province list",
      { category: "workplace_harassment", province: null },
      undefined,
    ],
    ["an urgency condition", { urgent: true }, "urgent-any"],
  ])("%s", (_name, change, ruleId) => {
    expect(route(input({ facts: facts(change), rules, orgs })).ruleId).toBe(ruleId);
  });

  it("counts no language preference as either", () => {
    const either: RoutingRule[] = [{ id: "either", match: { languages: ["either"] }, offerTo: "any" }];
    expect(route(input({ facts: facts({ serviceLanguage: null }), rules: either, orgs })).ruleId).toBe("either");
  });

  it("a rule offering to any matching organisation ranks them all by load", () => {
    const decision = route(
      input({
        facts: facts({ urgent: true }),
        rules,
        orgs: [state(ngoA, { activeCases: 4 }), state(ngoB, { activeCases: 1 }), state(hotline())],
      }),
    );
    expect(candidateIds(decision)).toEqual(["hotline", "ngo-b", "ngo-a"]);
    expect(reasonsOf(decision, "ngo-b")[0]).toEqual({
      code: "rule-any",
      text: "rule urgent-any: any organisation that can take the case",
    });
  });

  it("never overrides what an organisation takes: a listed organisation that cannot help is still left out", () => {
    const decision = route(
      input({
        facts: facts({ category: "workplace_harassment" }),
        rules,
        orgs: [state(ngoA), state(ngoB, { openNow: false }), state(hotline())],
      }),
    );
    expect(decision.ruleId).toBe("work");
    expect(candidateIds(decision)).toEqual(["hotline"]);
    expect(decision.fallbackUsed).toBe(true);
    expect(codesOf(decision, "ngo-a")).toEqual(["not-in-rule"]);
    expect(codesOf(decision, "ngo-b")).toEqual(["closed-now"]);
  });
});

describe("route: the fallback", () => {
  it("takes a case that matches nobody, saying so first", () => {
    const decision = route(
      input({
        facts: facts({ category: "trafficking" }),
        orgs: [state(ngoA), state(hotline({ categories: ["hotline"] }))],
      }),
    );
    expect(decision.fallbackUsed).toBe(true);
    expect(decision.candidates).toHaveLength(1);
    expect(reasonsOf(decision, "hotline")).toEqual([
      { code: "fallback", text: "fallback organisation: no other organisation can take this case" },
      { code: "serves-province", text: "works nationwide, Phnom Penh included" },
      { code: "speaks-language", text: "speaks Khmer" },
      { code: "always-open", text: "open 24/7" },
      { code: "has-capacity", text: "0 of 30 active cases (0%)" },
      { code: "category-not-served", text: "does not work on trafficking" },
    ]);
  });

  it("stands last in line behind the organisations that can take the case", () => {
    const decision = route(
      input({ rules: [{ id: "a", match: {}, offerTo: ["ngo-a"] }], orgs: [state(ngoA), state(hotline())] }),
    );
    expect(decision.fallbackUsed).toBe(false);
    expect(candidateIds(decision)).toEqual(["ngo-a", "hotline"]);
    expect(reasonsOf(decision, "hotline")).toEqual([
      { code: "fallback", text: "fallback organisation: last in line, after the organisations above" },
      { code: "serves-category", text: "works on domestic violence" },
      { code: "serves-province", text: "works nationwide, Phnom Penh included" },
      { code: "speaks-language", text: "speaks Khmer" },
      { code: "always-open", text: "open 24/7" },
      { code: "has-capacity", text: "0 of 30 active cases (0%)" },
      { code: "not-in-rule", text: "rule a offers to ngo-a only" },
    ]);
  });

  it("is still offered the case when it is full, closed or has declined it, with those reasons", () => {
    const decision = route(
      input({
        orgs: [state(ngoA, { openNow: false }), state(hotline(), { openNow: false, activeCases: 30 })],
        excludeOrgIds: ["hotline"],
      }),
    );
    expect(candidateIds(decision)).toEqual(["hotline"]);
    expect(decision.fallbackUsed).toBe(true);
    expect(codesOf(decision, "hotline")).toEqual([
      "fallback",
      "serves-category",
      "serves-province",
      "speaks-language",
      "closed-now",
      "full",
      "declined-earlier",
    ]);
  });

  it("comes after the others when it can take the case too, but first among 24/7 ones for an urgent case", () => {
    const orgs = [state(ngoA, { activeCases: 9 }), state(hotline())];
    const calm = route(input({ orgs }));
    expect(candidateIds(calm)).toEqual(["ngo-a", "hotline"]);
    expect(calm.fallbackUsed).toBe(false);
    expect(reasonsOf(calm, "hotline")[0]).toEqual({ code: "fallback", text: "the fallback organisation" });
    expect(reasonsOf(calm, "hotline")).toContainEqual({
      code: "ranked-as-fallback",
      text: "after ngo-a: the fallback is offered after the others",
    });
    const urgent = route(input({ facts: facts({ urgent: true }), orgs }));
    expect(candidateIds(urgent)).toEqual(["hotline", "ngo-a"]);
    expect(reasonsOf(urgent, "hotline")).toContainEqual({
      code: "ranked-by-urgency",
      text: "ahead of ngo-a: the case is urgent and it is open 24/7",
    });
  });

  it("ranks where a rule puts it when the rule names it", () => {
    const rules: RoutingRule[] = [{ id: "hotline-first", match: {}, offerTo: ["hotline", "ngo-a"] }];
    const decision = route(input({ rules, orgs: [state(ngoA), state(hotline())] }));
    expect(candidateIds(decision)).toEqual(["hotline", "ngo-a"]);
    expect(codesOf(decision, "hotline").slice(0, 2)).toEqual(["fallback", "rule-order"]);
  });

  it("moves the cursor past the organisation offered first", () => {
    // Sorted ids: hotline 0, ngo-a 1, ngo-b 2.
    const decision = route(input({ orgs: [state(ngoA), state(ngoB), state(hotline())], roundRobinCursor: 0 }));
    expect(candidateIds(decision)).toEqual(["ngo-a", "ngo-b", "hotline"]);
    expect(decision.nextRoundRobinCursor).toBe(2);
    const next = route(input({ orgs: [state(ngoA), state(ngoB), state(hotline())], roundRobinCursor: 2 }));
    expect(candidateIds(next)).toEqual(["ngo-b", "ngo-a", "hotline"]);
    expect(next.nextRoundRobinCursor).toBe(0);
  });
});

describe("route: refuses input that cannot be right", () => {
  it.each<[string, RoutingInput, string | RegExp]>([
    [
      "a repeated organisation",
      input({ orgs: [state(ngoA), state(ngoA), state(hotline())] }),
      "routing input names organisation ngo-a twice",
    ],
    [
      "a missing fallback",
      input({ orgs: [state(ngoA)] }),
      "the fallback organisation hotline is not among the organisations",
    ],
    [
      "a negative load",
      input({ orgs: [state(ngoA, { activeCases: -1 }), state(hotline())] }),
      "ngo-a has -1 active cases",
    ],
    [
      "a fractional cursor",
      input({ orgs: [state(hotline())], roundRobinCursor: 0.5 }),
      "round-robin cursor 0.5 is not a whole number",
    ],
  ])("%s", (_name, bad, message) => {
    expect(() => route(bad)).toThrow(message);
  });
});

describe("assessOrganisation", () => {
  it("judges one organisation with no rule, for a transfer", () => {
    expect(assessOrganisation(facts(), state(ngoA)).canTake).toBe(true);
    const closed = assessOrganisation(facts({ under18: true }), state(ngoA, { openNow: false }));
    expect(closed.canTake).toBe(false);
    expect(closed.failed.map((reason) => reason.code)).toEqual(["not-child-protection", "closed-now"]);
  });
});

describe("caseFactsFromStored", () => {
  it("reads the triage columns of a case, unknown values as unanswered", () => {
    expect(
      caseFactsFromStored({
        category: "trafficking",
        province: "kandal",
        service_language: "either",
        urgent: true,
        under18: false,
      }),
    ).toEqual({ category: "trafficking", province: "kandal", serviceLanguage: "either", urgent: true, under18: false });
    expect(
      caseFactsFromStored({
        category: "legal",
        province: "phnom-penh",
        service_language: "fr",
        urgent: false,
        under18: true,
      }),
    ).toEqual({ category: null, province: null, serviceLanguage: null, urgent: false, under18: true });
  });
});

describe("explainDecision", () => {
  it("writes the rule, each candidate in rank order and each exclusion on its own line", () => {
    const decision = route(
      input({
        rules: [{ id: "a", match: {}, offerTo: ["ngo-a"] }],
        orgs: [state(ngoA, { activeCases: 1 }), state(ngoB), state(hotline())],
      }),
    );
    expect(explainDecision(decision)).toBe(
      [
        "rule: a",
        "1. ngo-a: rule a lists it 1st of 1; works on domestic violence; serves Phnom Penh; speaks Khmer; open now; 1 of 10 active cases (10%)",
        "2. hotline: fallback organisation: last in line, after the organisations above; works on domestic violence; " +
          "works nationwide, Phnom Penh included; speaks Khmer; open 24/7; 0 of 30 active cases (0%); rule a offers to ngo-a only",
        "excluded ngo-b: rule a offers to ngo-a only",
      ].join("\n"),
    );
  });
});
