import { locales, type Locale } from "./locales.ts";
import { normaliseInput, wordList } from "./translate.ts";

/** The language whose quick-exit words she wrote ("exit", "ចាកចេញ"), or undefined when she wrote something else. */
export function exitWordsLocale(text: string): Locale | undefined {
  const words = normaliseInput(text);
  return locales.find((locale) => wordList(locale, "menu.words.exit").includes(words));
}
