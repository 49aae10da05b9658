import { translate, normaliseInput, wordList } from "../../core/i18n/translate.ts";
import { catalogues, locales, type Locale } from "../../core/i18n/locales.ts";
import type { MessageKey } from "../../core/i18n/catalogue.ts";
import { categories, provinces, type Category, type Province, type Service } from "../../core/directory/index.ts";
import { renderEmergencyNumbers, renderServiceResults } from "./render-services.ts";

/**
 * The survivor's conversation with the intake bot, as a pure function: (where she is, what she wrote) →
 * (where she is now, what to answer, what to do). No I/O, so every path is a unit test.
 * Only enums are kept between steps — never her words.
 */

export type ServiceLanguage = "km" | "en" | "either";
export type AgeGroup = "under18" | "adult";

export interface Triage {
  category: Category;
  province: Province | null;
  language: ServiceLanguage | null;
  urgent: boolean | null;
  ageGroup: AgeGroup | null;
  consentSummary: boolean;
}

export type Step =
  | { name: "choose-language" }
  | { name: "menu" }
  | { name: "services-category" }
  | { name: "services-province"; category: Category }
  | { name: "services-results" }
  | { name: "triage-kind" }
  | { name: "triage-province"; triage: Partial<Triage> & { category: Category } }
  | { name: "triage-language"; triage: Partial<Triage> & { category: Category } }
  | { name: "triage-danger"; triage: Partial<Triage> & { category: Category } }
  | { name: "triage-age"; triage: Partial<Triage> & { category: Category } }
  | { name: "triage-consent"; triage: Partial<Triage> & { category: Category } };

export interface Conversation {
  /** Null until she has chosen: until then everything is said in every language. */
  locale: Locale | null;
  step: Step;
}

export type Input = { kind: "text"; text: string } | { kind: "not-text" } | { kind: "edit" } | { kind: "too-long" };

export interface Context {
  services: readonly Service[];
  now: Date;
  /** Her open case, if she has one: "ask for help" sends her there instead of opening a second. */
  openCase: { code: string; roomName: string } | undefined;
}

export type Effect = { type: "open-case"; triage: Triage } | { type: "quick-exit" };

export interface Turn {
  /** Null: forget the conversation (after a quick exit). */
  conversation: Conversation | null;
  replies: string[];
  effects: Effect[];
}

const menuOptions = ["services", "help", "safety", "language", "exit"] as const;
type MenuOption = (typeof menuOptions)[number];

const menuOptionLabel = {
  services: "menu.option.services",
  help: "menu.option.help",
  safety: "menu.option.safety",
  language: "menu.option.language",
  exit: "menu.option.exit",
} as const satisfies Record<MenuOption, MessageKey>;
const menuOptionWords: Record<MenuOption, MessageKey> = {
  services: "menu.words.services",
  help: "menu.words.help",
  safety: "menu.words.safety",
  language: "menu.words.language",
  exit: "menu.words.exit",
};

const triageLanguages: readonly ServiceLanguage[] = ["km", "en", "either"];

function inEveryLocale(key: MessageKey, words: string): boolean {
  return locales.some((locale) => wordList(locale, key).includes(words));
}

/** "2", "២", or 2 typed with spaces: the 1-based choice among `count`, else undefined. */
function numberChoice(text: string, count: number): number | undefined {
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= count ? n : undefined;
}

function isSkip(text: string): boolean {
  return text === "0";
}

function numbered(lines: readonly string[]): string {
  return lines.map((line, i) => `${i + 1}. ${line}`).join("\n");
}

export function languageQuestion(): string {
  const questions = locales.map((locale) => translate(locale, "welcome.languageQuestion"));
  const names = locales.map((locale) => catalogues[locale]["locale.name"]);
  return `${questions.join("\n")}\n${numbered(names)}`;
}

export function firstContact(): string {
  return `${locales.map((locale) => translate(locale, "welcome.first")).join("\n\n")}\n\n${languageQuestion()}`;
}

export function menu(locale: Locale): string {
  const options = menuOptions.map((option) => translate(locale, menuOptionLabel[option]));
  return `${translate(locale, "menu.title")}\n${numbered(options)}\n${translate(locale, "menu.footer")}`;
}

function categoryList(locale: Locale): string {
  return numbered(categories.map((category) => translate(locale, `category.${category}`)));
}

function provinceList(locale: Locale): string {
  return numbered(provinces.map((province) => translate(locale, `province.${province}`)));
}

function triageLanguageList(locale: Locale): string {
  return numbered([
    catalogues.km["locale.name"],
    catalogues.en["locale.name"],
    translate(locale, "triage.languageEither"),
  ]);
}

function unknown(locale: Locale, again: string): string {
  return `${translate(locale, "input.unknown")}\n${again}`;
}

/** The question a step asks, so an unclear answer can ask it again. */
export function question(locale: Locale, step: Step): string {
  switch (step.name) {
    case "choose-language":
      return languageQuestion();
    case "menu":
    case "services-results":
      return menu(locale);
    case "services-category":
      return `${translate(locale, "services.categoryQuestion")}\n${categoryList(locale)}`;
    case "services-province":
      return `${translate(locale, "services.provinceQuestion")}\n${provinceList(locale)}\n0. ${translate(locale, "services.provinceAny")}`;
    case "triage-kind":
      return `${translate(locale, "triage.kindQuestion")}\n${categoryList(locale)}`;
    case "triage-province":
      return `${translate(locale, "triage.provinceQuestion")}\n${provinceList(locale)}\n${translate(locale, "input.skipHint")}`;
    case "triage-language":
      return `${translate(locale, "triage.languageQuestion")}\n${triageLanguageList(locale)}\n${translate(locale, "input.skipHint")}`;
    case "triage-danger":
      return `${translate(locale, "triage.dangerQuestion")}\n${translate(locale, "input.skipHint")}`;
    case "triage-age":
      return `${translate(locale, "triage.ageQuestion")}\n${translate(locale, "input.skipHint")}`;
    case "triage-consent":
      return `${translate(locale, "triage.consentQuestion")}\n${translate(locale, "input.skipHint")}`;
  }
}

function at(locale: Locale, step: Step, replies: string[], effects: Effect[] = []): Turn {
  return { conversation: { locale, step }, replies, effects };
}

function chooseMenuOption(text: string): MenuOption | undefined {
  const n = numberChoice(text, menuOptions.length);
  if (n !== undefined) return menuOptions[n - 1];
  return menuOptions.find((option) => inEveryLocale(menuOptionWords[option], text));
}

function chooseLocale(text: string): Locale | undefined {
  const n = numberChoice(text, locales.length);
  if (n !== undefined) return locales[n - 1];
  return locales.find((locale) => wordList(locale, "locale.words").includes(text));
}

function openMenuOption(locale: Locale, option: MenuOption, context: Context): Turn {
  switch (option) {
    case "services":
      return at(locale, { name: "services-category" }, [question(locale, { name: "services-category" })]);
    case "help":
      if (context.openCase) {
        return at(locale, { name: "menu" }, [translate(locale, "triage.alreadyOpen", context.openCase)]);
      }
      return at(locale, { name: "triage-kind" }, [
        `${translate(locale, "triage.intro")}\n${question(locale, { name: "triage-kind" })}`,
      ]);
    case "safety":
      return at(locale, { name: "menu" }, [
        `${translate(locale, "safety.tips")}\n\n${translate(locale, "menu.footer")}`,
      ]);
    case "language":
      return at(locale, { name: "choose-language" }, [languageQuestion()]);
    case "exit":
      return { conversation: null, replies: [], effects: [{ type: "quick-exit" }] };
  }
}

function nextTriageStep(locale: Locale, next: Step, replies: string[] = []): Turn {
  return at(locale, next, [...replies, question(locale, next)]);
}

function answerStep(locale: Locale, step: Step, text: string, context: Context): Turn {
  const again = (): Turn => at(locale, step, [unknown(locale, question(locale, step))]);
  switch (step.name) {
    case "choose-language":
      return again();
    case "menu":
    case "services-results": {
      if (step.name === "services-results" && text === "1") {
        return openMenuOption(locale, "services", context);
      }
      const option = chooseMenuOption(text);
      return option === undefined ? again() : openMenuOption(locale, option, context);
    }
    case "services-category": {
      const n = numberChoice(text, categories.length);
      if (n === undefined) return again();
      const next: Step = { name: "services-province", category: categories[n - 1]! };
      return at(locale, next, [question(locale, next)]);
    }
    case "services-province": {
      const n = isSkip(text) ? 0 : numberChoice(text, provinces.length);
      if (n === undefined) return again();
      const province = n === 0 ? undefined : provinces[n - 1];
      const results = renderServiceResults(locale, context.services, {
        category: step.category,
        ...(province !== undefined && { province }),
        at: context.now,
      });
      return at(locale, { name: "services-results" }, [results, translate(locale, "services.more")]);
    }
    case "triage-kind": {
      const n = numberChoice(text, categories.length);
      if (n === undefined) return again();
      return nextTriageStep(locale, { name: "triage-province", triage: { category: categories[n - 1]! } });
    }
    case "triage-province": {
      const n = isSkip(text) ? 0 : numberChoice(text, provinces.length);
      if (n === undefined) return again();
      const triage = { ...step.triage, province: n === 0 ? null : provinces[n - 1]! };
      return nextTriageStep(locale, { name: "triage-language", triage });
    }
    case "triage-language": {
      const n = isSkip(text) ? 0 : numberChoice(text, triageLanguages.length);
      if (n === undefined) return again();
      const triage = { ...step.triage, language: n === 0 ? null : triageLanguages[n - 1]! };
      return nextTriageStep(locale, { name: "triage-danger", triage });
    }
    case "triage-danger": {
      const n = isSkip(text) ? 0 : numberChoice(text, 2);
      if (n === undefined) return again();
      const urgent = n === 0 ? null : n === 1;
      const triage = { ...step.triage, urgent };
      const emergency =
        urgent === true
          ? [
              translate(locale, "triage.dangerYes", {
                numbers: renderEmergencyNumbers(locale, context.services, context.now),
              }),
            ]
          : [];
      return nextTriageStep(locale, { name: "triage-age", triage }, emergency);
    }
    case "triage-age": {
      const n = isSkip(text) ? 0 : numberChoice(text, 2);
      if (n === undefined) return again();
      const triage = { ...step.triage, ageGroup: n === 0 ? null : n === 1 ? ("under18" as const) : ("adult" as const) };
      return nextTriageStep(locale, { name: "triage-consent", triage });
    }
    case "triage-consent": {
      const n = isSkip(text) ? 0 : numberChoice(text, 2);
      if (n === undefined) return again();
      const triage: Triage = {
        category: step.triage.category,
        province: step.triage.province ?? null,
        language: step.triage.language ?? null,
        urgent: step.triage.urgent ?? null,
        ageGroup: step.triage.ageGroup ?? null,
        consentSummary: n === 1,
      };
      return at(locale, { name: "menu" }, [], [{ type: "open-case", triage }]);
    }
  }
}

/** One turn of the conversation. `conversation` undefined: she has never written (or forgot us after an exit). */
export function converse(conversation: Conversation | undefined, input: Input, context: Context): Turn {
  if (conversation === undefined) {
    return {
      conversation: { locale: null, step: { name: "choose-language" } },
      replies: [firstContact()],
      effects: [],
    };
  }
  const { locale } = conversation;
  const say = (key: "input.unknown" | "input.notText" | "input.edit" | "input.tooLong"): string =>
    locale === null ? locales.map((l) => translate(l, key)).join("\n") : translate(locale, key);
  const repeat = (replies: string[]): Turn => ({
    conversation,
    replies: [...replies, locale === null ? languageQuestion() : question(locale, conversation.step)],
    effects: [],
  });

  switch (input.kind) {
    case "not-text":
      return repeat([say("input.notText")]);
    case "edit":
      return repeat([say("input.edit")]);
    case "too-long":
      return repeat([say("input.tooLong")]);
    case "text":
      break;
  }

  const text = normaliseInput(input.text);
  if (inEveryLocale("menu.words.exit", text)) {
    return { conversation: null, replies: [], effects: [{ type: "quick-exit" }] };
  }
  if (locale === null || conversation.step.name === "choose-language") {
    const chosen = chooseLocale(text);
    if (chosen === undefined) {
      if (locale !== null && inEveryLocale("menu.words.menu", text))
        return at(locale, { name: "menu" }, [menu(locale)]);
      return repeat([say("input.unknown")]);
    }
    return at(chosen, { name: "menu" }, [`${translate(chosen, "language.changed")}\n\n${menu(chosen)}`]);
  }
  if (inEveryLocale("menu.words.menu", text)) return at(locale, { name: "menu" }, [menu(locale)]);
  return answerStep(locale, conversation.step, text, context);
}
