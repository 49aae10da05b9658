import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Secret } from "../../../config/secret.ts";

describe("Secret", () => {
  const secret = new Secret("CANARY-secret-value-3f9a");

  it("reveals its value only when asked", () => {
    expect(secret.reveal()).toBe("CANARY-secret-value-3f9a");
  });

  it("prints as [redacted] every other way", () => {
    expect(String(secret)).toBe("[redacted]");
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- interpolation is what is tested
    expect(`${secret}`).toBe("[redacted]");
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect(secret)).toBe("[redacted]");
    expect(inspect({ nested: { secret } }, { depth: Infinity })).toBe("{ nested: { secret: [redacted] } }");
    expect(inspect(secret, { showHidden: true, customInspect: true })).toBe("[redacted]");
  });

  it("has no enumerable property that holds the value", () => {
    expect(Object.keys(secret)).toEqual([]);
    expect(Object.values(secret)).toEqual([]);
  });
});
