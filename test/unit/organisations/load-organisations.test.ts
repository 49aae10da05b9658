import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError } from "../../../config/config-error.ts";
import { loadOrganisationsFile, parseOrganisationsDocument } from "../../../config/load-organisations.ts";
import { projectRoot } from "../../../config/project-root.ts";
import { hotline, organisation } from "./fixtures.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "haven-organisations-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(content: unknown): Promise<string> {
  const path = join(dir, "organisations.yaml");
  await writeFile(path, typeof content === "string" ? content : stringify(content));
  return path;
}

function loadError(path: string): string {
  try {
    loadOrganisationsFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected loadOrganisationsFile to throw");
}

const valid = () => ({
  fallbackOrganisation: "hotline",
  organisations: [organisation({ id: "ngo-a", queueRoomId: null }), hotline({ queueRoomId: null })],
  rules: [{ id: "a-first", match: { categories: ["domestic_violence"] }, offerTo: ["ngo-a"] }],
});

describe("the sample organisations file", () => {
  const sample = loadOrganisationsFile(join(projectRoot, "config", "organisations.sample.yaml"));

  it("holds two partners and a 24/7 fallback helpline, every one marked SAMPLE in both languages", () => {
    expect(sample.organisations.map((org) => org.id)).toEqual([
      "sample-garment-workers",
      "sample-lotus-shelter",
      "sample-rumdoul-women",
    ]);
    expect(sample.fallbackOrgId).toBe("sample-rumdoul-women");
    for (const org of sample.organisations) {
      expect(org.name.en).toContain("SAMPLE");
      expect(org.name.km).toContain("គំរូ");
      expect(org.shortName.en).toContain("SAMPLE");
      expect(org.homeserver).toMatch(/\.example\.org$/);
      expect(org.queueRoomId).toBeNull();
      expect(org.responders.length).toBeGreaterThan(0);
    }
    const fallback = sample.organisations.find((org) => org.id === sample.fallbackOrgId);
    expect(fallback?.alwaysOpen).toBe(true);
  });

  it("declares its rules in order", () => {
    expect(sample.rules.map((rule) => rule.id)).toEqual([
      "under-18-to-child-protection",
      "workplace-harassment-to-garment-workers",
    ]);
  });
});

describe("loadOrganisationsFile", () => {
  it("reads a valid file into organisations, the fallback and the rules", async () => {
    const setup = loadOrganisationsFile(await fileWith(valid()));
    expect(setup.organisations.map((org) => org.id)).toEqual(["ngo-a", "hotline"]);
    expect(setup.fallbackOrgId).toBe("hotline");
    expect(setup.rules).toEqual([{ id: "a-first", match: { categories: ["domestic_violence"] }, offerTo: ["ngo-a"] }]);
  });

  it("needs no rules", async () => {
    const { rules: _rules, ...noRules } = valid();
    expect(loadOrganisationsFile(await fileWith(noRules)).rules).toEqual([]);
  });

  it("names the file, the path and the organisation in one line, and counts the other problems", async () => {
    const document = valid();
    const bad = {
      ...organisation({ id: "ngo-b", queueRoomId: null }),
      responders: ["@x:elsewhere.org"],
      languages: [],
    };
    const path = await fileWith({ ...document, organisations: [...document.organisations, bad] });
    expect(loadError(path)).toBe(
      `config: ${path}: organisations[2].languages: expected a list of languages (km, en), found none ` +
        `(organisation "ngo-b") (and 1 more)`,
    );
    const result = parseOrganisationsDocument({ ...document, organisations: [...document.organisations, bad] });
    expect(!result.ok && result.problems[1]).toEqual({
      path: "organisations[2].responders[0]",
      message:
        "@x:elsewhere.org is on elsewhere.org, not on the organisation's own homeserver ngo-b.example.org " +
        '(organisation "ngo-b")',
    });
  });

  it("names the rule whose organisation is unknown", async () => {
    const path = await fileWith({ ...valid(), rules: [{ id: "to-z", offerTo: ["ngo-z"] }] });
    expect(loadError(path)).toBe(`config: ${path}: rules[0].offerTo[0]: unknown organisation "ngo-z" (rule "to-z")`);
  });

  it.each<[string, (document: Record<string, unknown>) => void, string]>([
    [
      "no fallback",
      (document) => delete document.fallbackOrganisation,
      "fallbackOrganisation: missing (expected the id of the 24/7 organisation that takes cases nobody else can)",
    ],
    [
      "an unknown fallback",
      (document) => (document.fallbackOrganisation = "ngo-z"),
      'fallbackOrganisation: unknown organisation "ngo-z"',
    ],
    [
      "an office-hours fallback",
      (document) => (document.fallbackOrganisation = "ngo-a"),
      "fallbackOrganisation: ngo-a is not open 24/7 (alwaysOpen), so it cannot be the fallback",
    ],
    [
      "no organisations",
      (document) => delete document.organisations,
      "organisations: missing (expected a list of organisations)",
    ],
    [
      "organisations that are not a list",
      (document) => (document.organisations = { a: 1 }),
      "organisations: expected a list of organisations, found a mapping",
    ],
    [
      "rules that are not a list",
      (document) => (document.rules = "any"),
      'rules: expected a list of rules, found "any"',
    ],
    ["an unknown top-level key", (document) => (document.fallback = "hotline"), "fallback: unknown key"],
  ])("refuses %s", async (_name, change, problem) => {
    const document: Record<string, unknown> = valid();
    change(document);
    const path = await fileWith(document);
    expect(loadError(path)).toBe(`config: ${path}: ${problem}`);
  });

  it("refuses a document that is not a mapping", () => {
    expect(parseOrganisationsDocument(["ngo-a"])).toEqual({
      ok: false,
      problems: [{ path: "", message: "expected a mapping with an organisations list" }],
    });
  });

  it("reports YAML errors with the line, without quoting the file", async () => {
    const path = await fileWith("organisations:\n  - id: a\n   bad: [\n");
    expect(loadError(path)).toMatch(new RegExp(`^config: ${path} line \\d+, column \\d+: invalid YAML: `));
  });
});
