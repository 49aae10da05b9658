// Checks shared by the i18n tests. Each returns a list of problems (empty when all is well), so a test can show
// them all at once, and so the checks themselves can be tested on deliberately broken input.
import { parameterNames } from "../../../core/i18n/translate.ts";

type Texts = Readonly<Record<string, unknown>>;

const placeholder = /\{[A-Za-z0-9_]+\}/g;

/**
 * How a candidate catalogue differs from the reference: missing or extra keys, empty values, a different set of
 * {parameter} names, or a brace that is not part of a well-formed {parameter} (translate() would leave it on screen).
 */
export function catalogueProblems(reference: Readonly<Record<string, string>>, candidate: Texts): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(reference)) {
    if (!Object.hasOwn(candidate, key)) problems.push(`missing key ${key}`);
  }
  for (const key of Object.keys(candidate)) {
    if (!Object.hasOwn(reference, key)) problems.push(`extra key ${key}`);
  }
  for (const [key, expectedText] of Object.entries(reference)) {
    if (!Object.hasOwn(candidate, key)) continue;
    const text = candidate[key];
    if (typeof text !== "string" || text.trim() === "") {
      problems.push(`empty ${key}`);
      continue;
    }
    const expected = uniqueNames(expectedText);
    const actual = uniqueNames(text);
    if (expected.join() !== actual.join()) {
      problems.push(`${key} has parameters [${actual.join(", ")}], expected [${expected.join(", ")}]`);
    }
    if (/[{}]/.test(text.replace(placeholder, ""))) problems.push(`${key} has a stray brace`);
  }
  return problems;
}

function uniqueNames(text: string): string[] {
  return [...new Set(parameterNames(text))];
}

export interface WordOwner {
  readonly locale: string;
  readonly key: string;
}

/** Words listed under two different menu keys (in one locale or across locales): the bot could not tell which one. */
export function menuWordConflicts(
  lists: readonly { readonly locale: string; readonly key: string; readonly words: readonly string[] }[],
): string[] {
  const owners = new Map<string, WordOwner>();
  const conflicts: string[] = [];
  for (const { locale, key, words } of lists) {
    for (const word of words) {
      const owner = owners.get(word);
      if (owner === undefined) owners.set(word, { locale, key });
      else if (owner.key !== key) conflicts.push(`"${word}": ${owner.locale} ${owner.key} and ${locale} ${key}`);
    }
  }
  return conflicts;
}

/** Words that must never be in a room name: a room name shows in the room list and in notifications. */
export const roomNameDenyList = {
  // violence and abuse, and what it makes of a person
  en: ["violen", "abus", "rape", "assault", "harass", "traffick", "sex", "beat", "victim", "survivor", "domestic"],
  km: ["ហិង្សា", "រំលោភ", "បំពាន", "យាយី", "បៀតបៀន", "ជួញដូរ", "ផ្លូវភេទ", "វាយ", "ធ្វើបាប", "រងគ្រោះ"],
  // why she would be here at all
  enPurpose: ["help", "police", "shelter", "counsel", "danger", "safe"],
  kmPurpose: ["ជំនួយ", "ជួយ", "ប៉ូលិស", "ជម្រក", "ប្រឹក្សា", "គ្រោះថ្នាក់", "សុវត្ថិភាព"],
} as const;

/** The deny-listed words a text contains (case-insensitive). */
export function deniedWordsIn(text: string): string[] {
  const lower = text.toLowerCase();
  return Object.values(roomNameDenyList)
    .flat()
    .filter((word) => lower.includes(word));
}
