import { describe, expect, it } from "vitest";
import { fixedWindowLimiter } from "../../../webchat/server/rate-limiter.ts";

describe("fixedWindowLimiter", () => {
  it("allows perKey per address and overall in total per window, then forgets at the next window", () => {
    let now = 0;
    const limiter = fixedWindowLimiter({ perKey: 2, overall: 3, windowMs: 1000, now: () => now });
    expect([limiter.allow("a"), limiter.allow("a"), limiter.allow("a")]).toEqual([true, true, false]);
    expect([limiter.allow("b"), limiter.allow("c")]).toEqual([true, false]);
    now = 1000;
    expect([limiter.allow("a"), limiter.allow("c")]).toEqual([true, true]);
  });
});
