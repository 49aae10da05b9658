import { describe, expect, it } from "vitest";
import { typingDecision, type TypingShown } from "../../../bridge/typing-throttle.ts";

const limits = { minIntervalMs: 2_000, refreshMs: 20_000 };
const nothingYet: TypingShown = { shown: false, lastSentAt: undefined };

describe("typingDecision", () => {
  it("shows typing at once the first time", () => {
    expect(typingDecision(nothingYet, true, 1_000, limits)).toEqual({ kind: "send", typing: true });
  });

  it("does nothing when nobody types and nothing is shown", () => {
    expect(typingDecision(nothingYet, false, 1_000, limits)).toEqual({ kind: "none" });
    expect(typingDecision({ shown: false, lastSentAt: 500 }, false, 1_000, limits)).toEqual({ kind: "none" });
  });

  it("holds a change that comes too soon after the last update, and sends it once the interval has passed", () => {
    const shown = { shown: true, lastSentAt: 10_000 };
    expect(typingDecision(shown, false, 10_500, limits)).toEqual({ kind: "wait", ms: 1_500 });
    expect(typingDecision(shown, false, 12_000, limits)).toEqual({ kind: "send", typing: false });
    const hidden = { shown: false, lastSentAt: 10_000 };
    expect(typingDecision(hidden, true, 11_999, limits)).toEqual({ kind: "wait", ms: 1 });
  });

  it("refreshes typing while someone keeps typing, not before", () => {
    const shown = { shown: true, lastSentAt: 10_000 };
    expect(typingDecision(shown, true, 15_000, limits)).toEqual({ kind: "wait", ms: 15_000 });
    expect(typingDecision(shown, true, 30_000, limits)).toEqual({ kind: "send", typing: true });
  });

  it("sends at most one update per interval however often typing flips", () => {
    let state: TypingShown = nothingYet;
    let sent = 0;
    for (let now = 0; now < 10_000; now += 100) {
      const decision = typingDecision(state, (now / 100) % 2 === 0, now, limits);
      if (decision.kind === "send") {
        sent++;
        state = { shown: decision.typing, lastSentAt: now };
      }
    }
    expect(sent).toBeLessThanOrEqual(5);
    expect(sent).toBeGreaterThanOrEqual(4);
  });
});
