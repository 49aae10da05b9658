import { describe, expect, it } from "vitest";
import { ConnectionError } from "matrix-js-sdk";
import { diskFullCode, isDiskFull } from "../../../core/log/disk-full.ts";

describe("a full disk", () => {
  const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

  it("is recognised from the filesystem, SQLite and PostgreSQL, directly or as a cause", () => {
    expect(isDiskFull(enospc)).toBe(true);
    expect(isDiskFull(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error("could not extend file"), { code: "53100" }))).toBe(true);
    expect(isDiskFull(new Error("wrapped", { cause: enospc }))).toBe(true);
  });

  it("is recognised through matrix-js-sdk's ConnectionError, which keeps only the message", () => {
    expect(diskFullCode(new ConnectionError("fetch failed", enospc))).toBe("ENOSPC");
  });

  it("is not any other failure", () => {
    expect(isDiskFull(new ConnectionError("fetch failed", new TypeError("fetch failed")))).toBe(false);
    expect(isDiskFull(Object.assign(new Error("busy"), { code: "SQLITE_BUSY" }))).toBe(false);
    expect(isDiskFull("ENOSPC")).toBe(false);
    expect(isDiskFull(undefined)).toBe(false);
  });
});
