// Realistic cases from the Phnom Penh pilot, routed across the sample coalition (config/organisations.sample.yaml),
// with the explanation a coordinator would read. Times are Phnom Penh wall-clock times (UTC+7).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrganisationsFile } from "../../../config/load-organisations.ts";
import { projectRoot } from "../../../config/project-root.ts";
import {
  explainDecision,
  organisationStateAt,
  route,
  type CaseFacts,
  type OrganisationState,
  type RoutingDecision,
} from "../../../core/routing/index.ts";
import { candidateIds, excludedIds, reasonsOf } from "./fixtures.ts";

const sample = loadOrganisationsFile(join(projectRoot, "config", "organisations.sample.yaml"));

const GARMENT = "sample-garment-workers";
const LOTUS = "sample-lotus-shelter";
const HOTLINE = "sample-rumdoul-women";
const LOADS: Readonly<Record<string, number>> = { [GARMENT]: 3, [LOTUS]: 2, [HOTLINE]: 4 };

/** The sample coalition at a Phnom Penh time, each queue room linked as the router would have done. */
function coalitionAt(localTime: string): OrganisationState[] {
  const at = new Date(`${localTime}+07:00`);
  return sample.organisations.map((organisation) =>
    organisationStateAt({ ...organisation, queueRoomId: `!queue:${organisation.homeserver}` }, at, {
      activeCases: LOADS[organisation.id] ?? 0,
    }),
  );
}

function routeAt(localTime: string, facts: CaseFacts, orgs = coalitionAt(localTime)): RoutingDecision {
  return route({ facts, orgs, rules: sample.rules, fallbackOrgId: sample.fallbackOrgId, roundRobinCursor: 0 });
}

const texts = (decision: RoutingDecision, orgId: string): string[] =>
  reasonsOf(decision, orgId).map((reason) => reason.text);

describe("a Khmer-speaking garment worker in Phnom Penh, harassed at work", () => {
  const garmentWorker: CaseFacts = {
    category: "workplace_harassment",
    province: "phnom_penh",
    serviceLanguage: "km",
    urgent: false,
    under18: false,
  };

  it("at night (Tuesday 22:00) goes to the 24/7 helpline, and the explanation says the workers' centre opens tomorrow", () => {
    const decision = routeAt("2026-01-06T22:00", garmentWorker);
    expect(decision.ruleId).toBe("workplace-harassment-to-garment-workers");
    expect(candidateIds(decision)).toEqual([HOTLINE]);
    expect(decision.fallbackUsed).toBe(true);
    expect(texts(decision, HOTLINE)).toEqual([
      "fallback organisation: no other organisation can take this case",
      "works nationwide, Phnom Penh included",
      "speaks Khmer",
      "open 24/7",
      "4 of 30 active cases (13%)",
      "does not work on workplace harassment",
      "rule workplace-harassment-to-garment-workers offers to sample-garment-workers only",
    ]);
    expect(excludedIds(decision)).toEqual([GARMENT, LOTUS]);
    expect(texts(decision, GARMENT)).toEqual(["closed now (opens Wed 17:00)"]);
    expect(texts(decision, LOTUS)).toEqual([
      "does not work on workplace harassment",
      "closed now (opens Wed 08:00)",
      "rule workplace-harassment-to-garment-workers offers to sample-garment-workers only",
    ]);
    expect(explainDecision(decision)).toBe(
      [
        "rule: workplace-harassment-to-garment-workers",
        "fallback used: no other organisation can take this case",
        "1. sample-rumdoul-women: fallback organisation: no other organisation can take this case; " +
          "works nationwide, Phnom Penh included; speaks Khmer; open 24/7; 4 of 30 active cases (13%); " +
          "does not work on workplace harassment; " +
          "rule workplace-harassment-to-garment-workers offers to sample-garment-workers only",
        "excluded sample-garment-workers: closed now (opens Wed 17:00)",
        "excluded sample-lotus-shelter: does not work on workplace harassment; closed now (opens Wed 08:00); " +
          "rule workplace-harassment-to-garment-workers offers to sample-garment-workers only",
      ].join("\n"),
    );
  });

  it("after her shift (Tuesday 18:30) goes to the workers' centre first, the helpline behind it", () => {
    const decision = routeAt("2026-01-06T18:30", garmentWorker);
    expect(candidateIds(decision)).toEqual([GARMENT, HOTLINE]);
    expect(decision.fallbackUsed).toBe(false);
    expect(texts(decision, GARMENT)).toEqual([
      "rule workplace-harassment-to-garment-workers lists it 1st of 1",
      "works on workplace harassment",
      "serves Phnom Penh",
      "speaks Khmer",
      "open now",
      "3 of 20 active cases (15%)",
    ]);
    expect(texts(decision, HOTLINE)[0]).toBe("fallback organisation: last in line, after the organisations above");
  });
});

describe("a girl under 18 in Kandal, violence at home (Wednesday 10:00)", () => {
  const girl: CaseFacts = {
    category: "domestic_violence",
    province: "kandal",
    serviceLanguage: "km",
    urgent: false,
    under18: true,
  };

  it("goes to the child-protection shelter first, the helpline (also child protection) behind it, never to the workers' centre", () => {
    const decision = routeAt("2026-01-07T10:00", girl);
    expect(decision.ruleId).toBe("under-18-to-child-protection");
    expect(candidateIds(decision)).toEqual([LOTUS, HOTLINE]);
    expect(decision.fallbackUsed).toBe(false);
    expect(texts(decision, LOTUS)).toEqual([
      "rule under-18-to-child-protection lists it 1st of 1",
      "works on domestic violence",
      "serves Kandal",
      "speaks Khmer",
      "takes under-18 cases",
      "open now",
      "2 of 10 active cases (20%)",
    ]);
    expect(texts(decision, HOTLINE)).toEqual([
      "fallback organisation: last in line, after the organisations above",
      "works on domestic violence",
      "works nationwide, Kandal included",
      "speaks Khmer",
      "takes under-18 cases",
      "open 24/7",
      "4 of 30 active cases (13%)",
      "rule under-18-to-child-protection offers to sample-lotus-shelter only",
    ]);
    expect(texts(decision, GARMENT)).toEqual([
      "does not work on domestic violence",
      "not a child-protection organisation (she is under 18)",
      "closed now (opens Wed 17:00)",
      "rule under-18-to-child-protection offers to sample-lotus-shelter only",
    ]);
  });
});

describe("an urgent case when every partner is closed (Sunday 03:00)", () => {
  const urgent: CaseFacts = {
    category: "sexual_violence",
    province: "phnom_penh",
    serviceLanguage: "either",
    urgent: true,
    under18: false,
  };

  it("goes straight to the 24/7 helpline and says when each partner opens", () => {
    const decision = routeAt("2026-01-11T03:00", urgent);
    expect(decision.ruleId).toBeUndefined();
    expect(candidateIds(decision)).toEqual([HOTLINE]);
    expect(decision.fallbackUsed).toBe(true);
    expect(texts(decision, HOTLINE)).toEqual([
      "fallback organisation: no other organisation can take this case",
      "no rule matched: any organisation that can take the case",
      "works on sexual violence",
      "works nationwide, Phnom Penh included",
      "she has no language preference",
      "open 24/7",
      "4 of 30 active cases (13%)",
    ]);
    expect(texts(decision, GARMENT)).toEqual(["closed now (opens Sun 08:00)"]);
    expect(texts(decision, LOTUS)).toEqual(["closed now (opens Mon 08:00)"]);
  });

  it("still goes to the helpline when the helpline itself is down, and says so", () => {
    const orgs = coalitionAt("2026-01-11T03:00").map((state) =>
      state.organisation.id === HOTLINE ? { ...state, openNow: false } : state,
    );
    const decision = routeAt("2026-01-11T03:00", urgent, orgs);
    expect(candidateIds(decision)).toEqual([HOTLINE]);
    expect(texts(decision, HOTLINE)).toEqual([
      "fallback organisation: no other organisation can take this case",
      "works on sexual violence",
      "works nationwide, Phnom Penh included",
      "she has no language preference",
      "4 of 30 active cases (13%)",
      "closed now",
    ]);
  });

  it("on a weekday afternoon puts the 24/7 helpline ahead of the open shelter", () => {
    const decision = routeAt("2026-01-07T15:00", { ...urgent, category: "domestic_violence" });
    expect(candidateIds(decision)).toEqual([HOTLINE, LOTUS]);
    expect(texts(decision, HOTLINE)).toContain("ahead of sample-lotus-shelter: the case is urgent and it is open 24/7");
    expect(texts(decision, LOTUS)).toContain(
      "after sample-rumdoul-women: the case is urgent and sample-rumdoul-women is open 24/7",
    );
  });
});
