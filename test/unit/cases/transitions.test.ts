import { describe, expect, it } from "vitest";
import { caseStates, caseTransitions, isOpen } from "../../../core/cases/states.ts";
import { planTransition } from "../../../core/cases/transition.ts";

const expectedLegal = new Set([
  "intake→waiting",
  "intake→closed",
  "intake→erased",
  "waiting→offered",
  "waiting→closed",
  "waiting→erased",
  "offered→offered",
  "offered→claimed",
  "offered→waiting",
  "offered→closed",
  "offered→erased",
  "claimed→active",
  "claimed→waiting",
  "claimed→offered",
  "claimed→closed",
  "claimed→erased",
  "active→waiting",
  "active→offered",
  "active→closed",
  "active→erased",
  "closed→waiting",
  "closed→erased",
]);

describe("case state machine", () => {
  it.each(caseStates.flatMap((from) => caseStates.map((to) => [from, to] as const)))("%s → %s", (from, to) => {
    const result = planTransition({ from, to, actor: "@bot:hub", at: 1000, orgId: "ngo-a", reason: "test" });
    if (expectedLegal.has(`${from}→${to}`)) {
      expect(result).toEqual({
        ok: true,
        entry: { fromState: from, toState: to, actor: "@bot:hub", at: 1000, orgId: "ngo-a", reason: "test" },
      });
    } else {
      expect(result).toEqual({ ok: false, reason: "illegal-transition", from, to });
    }
  });

  it("declares exactly the legal moves the design describes", () => {
    const declared = caseStates.flatMap((from) => caseTransitions[from].map((to) => `${from}→${to}`));
    expect(new Set(declared)).toEqual(expectedLegal);
  });

  it("makes erased terminal and reachable from every other state", () => {
    expect(caseTransitions.erased).toEqual([]);
    for (const state of caseStates.filter((s) => s !== "erased")) expect(caseTransitions[state]).toContain("erased");
  });

  it("counts closed and erased cases as not open", () => {
    expect(caseStates.filter(isOpen)).toEqual(["intake", "waiting", "offered", "claimed", "active"]);
  });

  it("records a missing reason as null", () => {
    const result = planTransition({ from: "intake", to: "waiting", actor: "a", at: 1, orgId: null });
    expect(result.ok && result.entry.reason).toBeNull();
  });
});
