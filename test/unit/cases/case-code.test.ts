import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { caseCodeAlphabet, newCaseCode, parseCaseCode } from "../../../core/cases/case-code.ts";

describe("case codes", () => {
  it("look like K7Q2-M4XP and never use 0, O, 1 or I", () => {
    for (let i = 0; i < 2000; i++) {
      const code = newCaseCode(randomBytes);
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    }
    expect(caseCodeAlphabet).not.toMatch(/[01OI]/);
    expect(new Set(caseCodeAlphabet).size).toBe(32);
  });

  it("map every byte value evenly onto the alphabet (256 is a multiple of 32)", () => {
    const counts = new Map<string, number>();
    for (let byte = 0; byte < 256; byte++) {
      const symbol = newCaseCode(() => new Uint8Array(8).fill(byte))[0]!;
      counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    expect([...counts.values()].every((count) => count === 8)).toBe(true);
    expect(counts.size).toBe(32);
  });

  it("are unique across many draws (40 random bits)", () => {
    const codes = new Set(Array.from({ length: 20_000 }, () => newCaseCode(randomBytes)));
    expect(codes.size).toBe(20_000);
  });

  it.each([
    ["k7q2-m4xp", "K7Q2-M4XP"],
    ["K7Q2M4XP", "K7Q2-M4XP"],
    ["  k7q2 m4xp ", "K7Q2-M4XP"],
  ])("reads %j as %s", (typed, code) => {
    expect(parseCaseCode(typed)).toBe(code);
  });

  it.each(["K7Q2-M4X", "K7Q2-M4XPQ", "K7Q2-M4X0", "K7Q2-M4XO", "K7Q2-M4X1", "K7Q2-M4XI", "", "K7Q2_M4XP"])(
    "refuses %j",
    (typed) => {
      expect(parseCaseCode(typed)).toBeUndefined();
    },
  );
});
