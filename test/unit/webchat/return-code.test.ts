import { describe, expect, it } from "vitest";
import {
  deriveLookup,
  derivePassword,
  deriveRecoveryKey,
  formatReturnCode,
  newReturnCode,
  parseReturnCode,
} from "../../../webchat/app/return-code.ts";

describe("return codes", () => {
  it("are 12 digits, shown in groups of four, read back from what she types (Khmer digits too)", () => {
    const code = newReturnCode();
    expect(code).toMatch(/^\d{12}$/);
    expect(formatReturnCode("123456789012")).toBe("1234 5678 9012");
    expect(parseReturnCode(" 1234-5678 9012 ")).toBe("123456789012");
    expect(parseReturnCode("១២៣៤ ៥៦៧៨ ៩០១២")).toBe("123456789012");
    expect(parseReturnCode("1234 5678")).toBeUndefined();
  });

  it("derive a lookup, a password and a key that differ from each other and from the code", async () => {
    const lookup = await deriveLookup("123456789012");
    expect(lookup).toMatch(/^[0-9a-f]{64}$/);
    expect(await deriveLookup("123456789012")).toBe(lookup);
    expect(await deriveLookup("123456789013")).not.toBe(lookup);
    const password = await derivePassword("123456789012", "@a:hub");
    expect(password).not.toContain("123456789012");
    expect(await derivePassword("123456789012", "@b:hub")).not.toBe(password);
    const key = await deriveRecoveryKey("123456789012", "@a:hub");
    expect(key).toHaveLength(32);
    expect(Buffer.from(key).toString("hex")).not.toBe(lookup);
  }, 30_000);
});
