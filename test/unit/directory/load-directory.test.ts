import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError } from "../../../config/config-error.ts";
import { loadDirectoryFile, parseDirectoryDocument } from "../../../config/load-directory.ts";
import { service } from "./fixtures.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "haven-directory-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(content: unknown): Promise<string> {
  const path = join(dir, "directory.yaml");
  await writeFile(path, typeof content === "string" ? content : stringify(content));
  return path;
}

function loadError(path: string): string {
  try {
    loadDirectoryFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected loadDirectoryFile to throw");
}

describe("loadDirectoryFile", () => {
  it("reads a valid file into services", async () => {
    const path = await fileWith({ services: [service({ id: "a" }), service({ id: "b" })] });
    expect(loadDirectoryFile(path).map((s) => s.id)).toEqual(["a", "b"]);
  });

  it("names the file, the path and the service in one line, and counts the other problems", async () => {
    const bad = service({ id: "night-shelter" });
    const path = await fileWith({
      services: [
        service({ id: "ok" }),
        { ...bad, hours: { weekly: { mon: [{ from: "25:00", to: "06:00" }] } }, categories: ["nope"] },
      ],
    });
    expect(loadError(path)).toBe(
      `config: ${path}: services[1].categories[0]: unknown category "nope" (expected one of domestic_violence, ` +
        "sexual_violence, workplace_harassment, online_abuse, trafficking, legal_aid, health, shelter, psychosocial, " +
        'police, hotline, other) (service "night-shelter") (and 1 more)',
    );
  });

  it("reports a duplicate id", async () => {
    const path = await fileWith({ services: [service({ id: "a" }), service({ id: "a" })] });
    expect(loadError(path)).toBe(`config: ${path}: services[1].id: duplicate id "a" (first used at [0])`);
  });

  it("reports YAML errors and missing files with the file name", async () => {
    expect(loadError(await fileWith("services: [\n"))).toMatch(
      /^config: .*directory\.yaml line \d+, column \d+: invalid YAML/,
    );
    const missing = join(dir, "missing.yaml");
    expect(loadError(missing)).toBe(`config: cannot read ${missing} (ENOENT)`);
  });
});

describe("parseDirectoryDocument", () => {
  it.each([
    ["a list at the top", [], { path: "", message: "expected a mapping with a services list" }],
    ["an unknown top-level key", { services: [], servces: [] }, { path: "servces", message: "unknown key" }],
    [
      "no services key",
      { services: undefined },
      { path: "services", message: "missing (expected a list of services)" },
    ],
    [
      "services that are not a list",
      { services: "none" },
      { path: "services", message: 'expected a list of services, found "none"' },
    ],
  ])("refuses %s", (_name, document, problem) => {
    expect(parseDirectoryDocument(document)).toEqual({ ok: false, problems: [problem] });
  });

  it("accepts an empty directory", () => {
    expect(parseDirectoryDocument({ services: [] })).toEqual({ ok: true, services: [] });
  });
});
