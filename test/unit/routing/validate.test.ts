import { describe, expect, it } from "vitest";
import {
  checkFallbackOrganisation,
  parseRoutingRules,
  type RoutingProblem,
  type RoutingRule,
} from "../../../core/routing/index.ts";
import { hotline, organisation } from "./fixtures.ts";

const KNOWN = ["ngo-a", "ngo-b", "hotline"];

function problems(rules: unknown): RoutingProblem[] {
  const result = parseRoutingRules(rules, KNOWN);
  return result.ok ? [] : result.problems;
}

describe("parseRoutingRules", () => {
  it("reads rules as declared, in order, with match defaulting to every case", () => {
    const result = parseRoutingRules(
      [
        {
          id: "children",
          description: "  Under 18 to child protection  ",
          match: { ageGroup: "under18", provinces: ["kandal", "other"], languages: ["either"] },
          offerTo: ["ngo-b", "ngo-a"],
        },
        { id: "urgent", match: { urgent: true, categories: ["sexual_violence"] }, offerTo: "any" },
        { id: "rest", offerTo: "any" },
      ],
      KNOWN,
    );
    const expected: RoutingRule[] = [
      {
        id: "children",
        description: "Under 18 to child protection",
        match: { ageGroup: "under18", provinces: ["kandal", "other"], languages: ["either"] },
        offerTo: ["ngo-b", "ngo-a"],
      },
      { id: "urgent", match: { urgent: true, categories: ["sexual_violence"] }, offerTo: "any" },
      { id: "rest", match: {}, offerTo: "any" },
    ];
    expect(result).toEqual({ ok: true, rules: expected });
  });

  it("accepts no rules at all", () => {
    expect(parseRoutingRules([], KNOWN)).toEqual({ ok: true, rules: [] });
  });

  const cases: readonly [string, unknown, RoutingProblem[]][] = [
    ["not a list", { id: "a" }, [{ path: "", message: "expected a list of rules, found a mapping" }]],
    [
      "a rule without offerTo",
      [{ id: "a", match: {} }],
      [{ path: "[0].offerTo", message: 'missing (expected "any" or a list of organisation ids)' }],
    ],
    [
      "offerTo that is neither any nor a list",
      [{ id: "a", offerTo: "all" }],
      [{ path: "[0].offerTo", message: 'expected "any" or a list of organisation ids, found "all"' }],
    ],
    [
      "an empty offerTo list",
      [{ id: "a", offerTo: [] }],
      [{ path: "[0].offerTo", message: "expected a list of organisation ids, found none" }],
    ],
    [
      "an organisation listed twice",
      [{ id: "a", offerTo: ["ngo-a", "ngo-a"] }],
      [{ path: "[0].offerTo[1]", message: '"ngo-a" is listed twice' }],
    ],
    [
      "an unknown organisation",
      [{ id: "a", offerTo: ["ngo-a", "ngo-z"] }],
      [{ path: "[0].offerTo[1]", message: 'unknown organisation "ngo-z"' }],
    ],
    [
      "an unknown condition",
      [{ id: "a", match: { hour: 3 }, offerTo: "any" }],
      [{ path: "[0].match.hour", message: "unknown key" }],
    ],
    [
      "an unknown category",
      [{ id: "a", match: { categories: ["abuse"] }, offerTo: "any" }],
      [
        {
          path: "[0].match.categories[0]",
          message:
            'unknown category "abuse" (expected one of domestic_violence, sexual_violence, workplace_harassment, ' +
            "online_abuse, trafficking, legal_aid, health, shelter, psychosocial, police, hotline, other)",
        },
      ],
    ],
    [
      "an unknown age group",
      [{ id: "a", match: { ageGroup: "child" }, offerTo: "any" }],
      [{ path: "[0].match.ageGroup", message: 'unknown age group "child" (expected one of under18, adult)' }],
    ],
    [
      "a language that is not km, en or either",
      [{ id: "a", match: { languages: ["fr"] }, offerTo: "any" }],
      [{ path: "[0].match.languages[0]", message: 'unknown language "fr" (expected one of km, en, either)' }],
    ],
    [
      "urgent as text",
      [{ id: "a", match: { urgent: "yes" }, offerTo: "any" }],
      [{ path: "[0].match.urgent", message: 'expected true or false, found "yes"' }],
    ],
    [
      "a duplicate rule id",
      [
        { id: "a", match: { urgent: true }, offerTo: "any" },
        { id: "a", match: { urgent: false }, offerTo: "any" },
      ],
      [{ path: "[1].id", message: 'duplicate id "a" (first used at [0])' }],
    ],
    [
      "a rule behind a catch-all",
      [
        { id: "all", offerTo: "any" },
        { id: "never", match: { urgent: true }, offerTo: ["ngo-a"] },
      ],
      [{ path: "[1]", message: "never used: rule [0] before it matches every case (put catch-all rules last)" }],
    ],
  ];

  it.each(cases)("refuses %s, naming the path", (_name, rules, expected) => {
    expect(problems(rules)).toEqual(expected);
  });
});

describe("checkFallbackOrganisation", () => {
  const orgs = [organisation({ id: "ngo-a" }), hotline()];

  it("accepts a known 24/7 organisation with responders", () => {
    expect(checkFallbackOrganisation(orgs, "hotline")).toEqual([]);
  });

  it.each<[string, unknown, readonly ReturnType<typeof organisation>[], string[]]>([
    [
      "a missing fallback",
      undefined,
      orgs,
      ["missing (expected the id of the 24/7 organisation that takes cases nobody else can)"],
    ],
    ["a fallback that is not an id", 3, orgs, ["expected an organisation id, found 3"]],
    ["an unknown fallback", "ngo-z", orgs, ['unknown organisation "ngo-z"']],
    ["an office-hours fallback", "ngo-a", orgs, ["ngo-a is not open 24/7 (alwaysOpen), so it cannot be the fallback"]],
    [
      "a fallback with nobody to answer",
      "hotline",
      [hotline({ responders: [] })],
      ["hotline has no responders, so it cannot be the fallback"],
    ],
  ])("refuses %s", (_name, fallback, organisations, messages) => {
    expect(checkFallbackOrganisation(organisations, fallback).map((problem) => problem.message)).toEqual(messages);
  });
});
