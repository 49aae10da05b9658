import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateSecret, newSecret, readSecret } from "../../../bin/dev/secrets.ts";

const mode = (path: string): number => statSync(path).mode & 0o777;

describe("dev secrets", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "haven-dev-secrets-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("generates a secret once into an owner-only file in an owner-only directory, then reads it back", async () => {
    const path = join(dir, "secrets", "intake-password");
    const first = await loadOrCreateSecret(path);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(mode(path)).toBe(0o600);
    expect(mode(join(dir, "secrets"))).toBe(0o700);
    expect(await loadOrCreateSecret(path)).toBe(first);
    expect(await readSecret(path)).toBe(first);
  });

  it("tightens an existing secret file readable by others", async () => {
    const path = join(dir, "kept");
    writeFileSync(path, "kept-value\n", { mode: 0o644 });
    expect(await loadOrCreateSecret(path)).toBe("kept-value");
    expect(mode(path)).toBe(0o600);
  });

  it("replaces an empty file and reports a missing one as undefined", async () => {
    const path = join(dir, "empty");
    writeFileSync(path, "\n");
    expect(await readSecret(path)).toBeUndefined();
    expect(await loadOrCreateSecret(path, () => "fresh")).toBe("fresh");
    expect(await readSecret(join(dir, "missing"))).toBeUndefined();
  });

  it("makes different secrets each time", () => {
    expect(newSecret()).not.toBe(newSecret());
  });
});
