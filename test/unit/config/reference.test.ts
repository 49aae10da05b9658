import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configKeys, configReference } from "../../../config/describe.ts";
import { envOverrides } from "../../../config/env-overrides.ts";
import { projectRoot } from "../../../config/project-root.ts";
import { mentionedKeyPaths } from "./yaml-key-paths.ts";

const read = (path: string) => readFileSync(join(projectRoot, path), "utf8");

describe("the config reference", () => {
  const keys = configKeys();

  it("describes every key of the schema", () => {
    expect(keys.length).toBeGreaterThan(20);
    for (const key of keys) expect(key.description, key.path).not.toBe("");
  });

  it("finds every leaf, secrets marked", () => {
    const leaves = keys.filter((key) => !key.section).map((key) => key.path);
    expect(leaves).toEqual(
      expect.arrayContaining(["dataDir", "log.level", "bots.router.deviceDisplayName", "retention.defaultMaxLifetime"]),
    );
    const secrets = keys.filter((key) => key.secret).map((key) => key.path);
    expect(secrets).toEqual([
      "database.url",
      "hub.adminToken",
      "bots.intake.password",
      "bots.intake.accessToken",
      "bots.router.password",
      "bots.router.accessToken",
      "crypto.storageKey",
      "crypto.recoveryKey",
      "admin.bootstrapToken",
      "webchat.codePepper",
    ]);
  });

  it("has every environment override pointing at a leaf of the schema", () => {
    const leaves = new Set(keys.filter((key) => !key.section).map((key) => key.path));
    for (const override of envOverrides) expect(leaves, override.env).toContain(override.path.join("."));
  });

  it("mentions every key in config/haven.example.yaml, set or commented out", () => {
    const mentioned = mentionedKeyPaths(read("config/haven.example.yaml"));
    const missing = keys.map((key) => key.path).filter((path) => !mentioned.has(path));
    expect(missing).toEqual([]);
  });

  it("mentions every environment override in config/haven.example.yaml", () => {
    const example = read("config/haven.example.yaml");
    for (const override of envOverrides) expect(example).toContain(override.env);
  });

  it("is what docs/configuration.md holds (regenerate: node bin/haven.ts describe-config > docs/configuration.md)", () => {
    expect(read("docs/configuration.md")).toBe(configReference());
  });
});

describe("mentionedKeyPaths", () => {
  it("follows nesting through set and commented-out keys, skipping prose", () => {
    const yaml = [
      "# Prose: ignored",
      "a:",
      "  # Some prose about b.",
      "  b: 1",
      "  # c: { file: x }",
      "  d:",
      "    # e: 2",
      "# f: 3",
      "g: [x]",
    ].join("\n");
    expect([...mentionedKeyPaths(yaml)]).toEqual(["a", "a.b", "a.c", "a.d", "a.d.e", "f", "g"]);
  });
});
