import { describe, expect, it } from "vitest";
import type { MessageKey } from "../../../core/i18n/catalogue.ts";
import { en } from "../../../core/i18n/catalogues/en.ts";
import { catalogues, locales } from "../../../core/i18n/locales.ts";
import { normaliseInput, wordList } from "../../../core/i18n/translate.ts";
import { menuWordConflicts } from "./checks.ts";

const menuWordKeys = (Object.keys(en) as MessageKey[]).filter((key) => key.startsWith("menu.words."));

const allLists = locales.flatMap((locale) =>
  menuWordKeys.map((key) => ({ locale, key, words: wordList(locale, key) })),
);

/** Which menu.words.* key a typed answer matches, in any locale. */
function menuKeyFor(typed: string): string[] {
  const word = normaliseInput(typed);
  return [...new Set(allLists.filter((list) => list.words.includes(word)).map((list) => list.key))];
}

describe("menu words", () => {
  it("covers the options, the menu and exit", () => {
    expect(menuWordKeys.sort()).toEqual(
      ["exit", "help", "language", "menu", "safety", "services"].map((name) => `menu.words.${name}`),
    );
  });

  it.each(allLists)("$locale $key lists at least one word", ({ words }) => {
    expect(words.length).toBeGreaterThan(0);
  });

  it("no word belongs to two menu keys, within a locale or across locales", () => {
    expect(menuWordConflicts(allLists)).toEqual([]);
  });

  it("the conflict check fails on an ambiguous word", () => {
    expect(
      menuWordConflicts([
        { locale: "km", key: "menu.words.exit", words: ["ចាកចេញ", "ចេញ"] },
        { locale: "km", key: "menu.words.menu", words: ["ម៉ឺនុយ"] },
        { locale: "en", key: "menu.words.services", words: ["ចេញ"] },
        { locale: "en", key: "menu.words.exit", words: ["ចាកចេញ"] },
      ]),
    ).toEqual(['"ចេញ": km menu.words.exit and en menu.words.services']);
  });

  it("no menu word is a bare number, which would shadow a numbered reply", () => {
    for (const { locale, key, words } of allLists) {
      for (const word of words) expect(word, `${locale} ${key}`).not.toMatch(/^\d+$/);
    }
  });

  it("quick exit answers to exit and ចាកចេញ, however typed", () => {
    for (const typed of ["exit", "EXIT!", "ចាកចេញ", "ចាកចេញ។", "ចាក ចេញ", "ចាក\u200bចេញ"]) {
      expect(menuKeyFor(typed), typed).toEqual(["menu.words.exit"]);
    }
    expect(menuKeyFor("menu")).toEqual(["menu.words.menu"]);
    expect(menuKeyFor("ម៉ឺនុយ")).toEqual(["menu.words.menu"]);
  });

  // A survivor told to write "ចាកចេញ" must be understood when she does.
  it.each(locales)("every word %s tells the survivor to write is one of its menu words", (locale) => {
    const localeWords = new Set(allLists.filter((list) => list.locale === locale).flatMap((list) => list.words));
    const told = Object.values(catalogues[locale])
      .flatMap((text) => [...text.matchAll(/"([^"{}]+)"/g)].map((m) => normaliseInput(m[1]!)))
      .filter((word) => word.length > 0);
    expect(told.length).toBeGreaterThan(0);
    for (const word of told) expect(localeWords.has(word), `"${word}"`).toBe(true);
  });
});
