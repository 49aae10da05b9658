import { describe, expect, it } from "vitest";
import { pollDelayMs } from "../../../bots/retention/hub-jobs.ts";

describe("how soon a running hub job is polled again", () => {
  it("starts at 50 ms and doubles up to the configured poll interval", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => pollDelayMs(attempt, 1_000))).toEqual([
      50, 100, 200, 400, 800, 1_000, 1_000,
    ]);
    expect(pollDelayMs(1, 20)).toBe(20);
  });
});
