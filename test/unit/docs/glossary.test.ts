// docs/glossary.md must say exactly what the bots say: every row against the catalogues.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../../config/project-root.ts";
import type { MessageKey } from "../../../core/i18n/catalogue.ts";
import { en } from "../../../core/i18n/catalogues/en.ts";
import { km } from "../../../core/i18n/catalogues/km.ts";

const rows = readFileSync(join(projectRoot, "docs/glossary.md"), "utf8")
  .split("\n")
  .map((line) => /^\|(.+)\|(.+)\| *`([a-zA-Z_.]+)` *\|$/.exec(line))
  .filter((match) => match !== null)
  .map(([, english, khmer, key]) => ({ english: english?.trim(), khmer: khmer?.trim(), key: key as MessageKey }));

describe("docs/glossary.md", () => {
  it("has the menu options, categories and provinces", () => {
    const keys = rows.map((row) => row.key);
    for (const prefix of ["menu.option.", "category.", "province."]) {
      const expected = Object.keys(en).filter((key) => key.startsWith(prefix));
      expect(keys).toEqual(expect.arrayContaining(expected));
    }
  });

  it.for(rows)("$key is what the bots write", (row) => {
    expect(row.english).toBe(en[row.key]);
    expect(row.khmer).toBe(km[row.key]);
  });
});
