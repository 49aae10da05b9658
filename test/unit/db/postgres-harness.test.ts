import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findPostgresBinDir } from "../../harness/postgres.ts";

describe("findPostgresBinDir", () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

  const fakeRoot = (versions: Record<string, string[]>): string => {
    const root = mkdtempSync(join(tmpdir(), "haven-pg-root-"));
    roots.push(root);
    for (const [version, bins] of Object.entries(versions)) {
      mkdirSync(join(root, version, "bin"), { recursive: true });
      for (const bin of bins) writeFileSync(join(root, version, "bin", bin), "");
    }
    return root;
  };

  it("picks the newest version that has both initdb and postgres", () => {
    const root = fakeRoot({
      "9.6": ["initdb", "postgres"],
      "13": ["initdb", "postgres"],
      "15": ["initdb", "postgres"],
      "17": ["initdb"],
    });
    expect(findPostgresBinDir(root)).toBe(join(root, "15", "bin"));
  });

  it("fails loudly, saying how to install PostgreSQL, when there is none", () => {
    expect(() => findPostgresBinDir(fakeRoot({ "16": ["psql"] }))).toThrow(
      /install PostgreSQL: apt-get install postgresql/,
    );
    expect(() => findPostgresBinDir("/nonexistent")).toThrow(/install PostgreSQL: apt-get install postgresql/);
  });
});
