// The bounded window of relay figures the Haven process keeps for the admin API's metrics.
import { describe, expect, it } from "vitest";
import { recentSamples } from "../../../bin/recent-samples.ts";

describe("recentSamples", () => {
  it("keeps the latest figures up to its capacity, dropping the oldest", () => {
    const window = recentSamples<number>(3);
    expect(window.values()).toEqual([]);
    for (const sample of [1, 2, 3, 4, 5]) window.add(sample);
    expect([...window.values()].sort()).toEqual([3, 4, 5]);
  });
});
