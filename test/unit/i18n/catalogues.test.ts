import { readdirSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "../../../core/i18n/catalogues/en.ts";
import { km } from "../../../core/i18n/catalogues/km.ts";
import { catalogues, defaultLocale, isLocale, locales } from "../../../core/i18n/locales.ts";
import { translate } from "../../../core/i18n/translate.ts";
import { catalogueProblems, deniedWordsIn } from "./checks.ts";

const cataloguesDir = new URL("../../../core/i18n/catalogues/", import.meta.url);

describe("catalogue completeness", () => {
  it.each(locales)("%s has exactly the keys of en, no empty text, and the same {parameters} per key", (locale) => {
    expect(catalogueProblems(en, catalogues[locale])).toEqual([]);
  });

  describe("the check itself fails on a broken catalogue", () => {
    const broken = (change: (catalogue: Record<string, string>) => void): Record<string, string> => {
      const copy: Record<string, string> = { ...km };
      change(copy);
      return copy;
    };

    it("a missing key", () => {
      expect(
        catalogueProblems(
          en,
          broken((c) => delete c["caseRoom.urgentNote"]),
        ),
      ).toEqual(["missing key caseRoom.urgentNote"]);
    });

    it("an extra key", () => {
      expect(
        catalogueProblems(
          en,
          broken((c) => (c["menu.option.extra"] = "ផ្សេង")),
        ),
      ).toEqual(["extra key menu.option.extra"]);
    });

    it("an empty or blank text", () => {
      expect(
        catalogueProblems(
          en,
          broken((c) => (c["menu.title"] = "  \n")),
        ),
      ).toEqual(["empty menu.title"]);
    });

    it("a renamed parameter", () => {
      expect(
        catalogueProblems(
          en,
          broken((c) => (c["caseRoom.name"] = "ការសន្ទនា {kode}")),
        ),
      ).toEqual(["caseRoom.name has parameters [kode], expected [code]"]);
    });

    it("a dropped parameter", () => {
      expect(
        catalogueProblems(
          en,
          broken((c) => (c["triage.caseOpened"] = "អរគុណ។ លេខករណីរបស់អ្នកគឺ {code}។")),
        ),
      ).toEqual(["triage.caseOpened has parameters [code], expected [code, roomName]"]);
    });

    it("an added parameter", () => {
      expect(
        catalogueProblems(
          en,
          broken((c) => (c["menu.title"] = "{name} តើអ្នកចង់ធ្វើអ្វី?")),
        ),
      ).toEqual(["menu.title has parameters [name], expected []"]);
    });

    it("a mistyped placeholder that would show a brace on screen", () => {
      expect(
        catalogueProblems(
          en,
          broken((c) => (c["services.phone"] = "ទូរស័ព្ទ៖ {phone} {")),
        ),
      ).toEqual(["services.phone has a stray brace"]);
      expect(
        catalogueProblems(
          en,
          broken((c) => (c["services.phone"] = "ទូរស័ព្ទ៖ { phone}")),
        ),
      ).toEqual(["services.phone has parameters [], expected [phone]", "services.phone has a stray brace"]);
    });
  });
});

describe("locale registry", () => {
  const files = readdirSync(cataloguesDir).filter((name) => name.endsWith(".ts"));

  it("registers every catalogue file in core/i18n/catalogues/ and nothing else", () => {
    const fileLocales = files.map((name) => basename(name, ".ts")).sort();
    expect(fileLocales).toEqual([...locales].sort());
  });

  it.each(files)("%s exports the catalogue registered under its name", async (file) => {
    const locale = basename(file, ".ts");
    const module = (await import(new URL(file, cataloguesDir).href)) as Record<string, unknown>;
    expect(isLocale(locale)).toBe(true);
    if (isLocale(locale)) expect(module[locale]).toBe(catalogues[locale]);
  });

  it("offers Khmer first and by default", () => {
    expect(locales[0]).toBe("km");
    expect(defaultLocale).toBe("km");
    expect(km["locale.name"]).toBe("ភាសាខ្មែរ");
  });
});

describe("survivor-facing room names", () => {
  it.each(locales)("%s caseRoom.name names no violence, abuse or reason for asking", (locale) => {
    expect(deniedWordsIn(catalogues[locale]["caseRoom.name"])).toEqual([]);
    expect(deniedWordsIn(translate(locale, "caseRoom.name", { code: "K7Q2-M4" }))).toEqual([]);
  });

  it("the deny list would catch a room name that names violence, in English or Khmer", () => {
    expect(deniedWordsIn("Abuse report {code}")).toEqual(["abus"]);
    expect(deniedWordsIn("ករណីអំពើហិង្សា {code}")).toEqual(["ហិង្សា"]);
    expect(deniedWordsIn("Help chat")).toEqual(["help"]);
  });

  // The deny list is only worth something if it covers the words the catalogues themselves use for violence.
  const violenceCategories = [
    "category.domestic_violence",
    "category.sexual_violence",
    "category.workplace_harassment",
    "category.online_abuse",
    "category.trafficking",
  ] as const;
  it.each(locales)("the deny list catches every violence category name of %s", (locale) => {
    for (const key of violenceCategories) {
      expect(deniedWordsIn(catalogues[locale][key]), `${locale} ${key}`).not.toEqual([]);
    }
  });
});
