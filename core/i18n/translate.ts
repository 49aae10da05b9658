import type { MessageKey, MessageParams } from "./catalogue.ts";
import { catalogues, type Locale } from "./locales.ts";

const placeholder = /\{([A-Za-z0-9_]+)\}/g;

/** The message in the locale with its named parameters filled in. A missing parameter is a programming error. */
export function translate<K extends MessageKey>(locale: Locale, key: K, ...args: ParamsArg<K>): string {
  const params = (args[0] ?? {}) as Record<string, string | number>;
  return catalogues[locale][key].replace(placeholder, (_match: string, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`message ${key} (${locale}) needs parameter {${name}}`);
    return String(value);
  });
}

type ParamsArg<K extends MessageKey> = MessageParams<K> extends Record<string, never> ? [] : [MessageParams<K>];

/** The parameter names a message text uses, for the completeness test. */
export function parameterNames(text: string): string[] {
  return [...text.matchAll(placeholder)].map((m) => m[1]!).sort();
}

/** Comma-separated word lists in the catalogues (e.g. "menu.words.exit"), normalised for matching. */
export function wordList(locale: Locale, key: MessageKey): string[] {
  return catalogues[locale][key]
    .split(",")
    .map((word) => normaliseInput(word))
    .filter((word) => word.length > 0);
}

/**
 * Lower case, NFC, Khmer digits as 0-9, single spaces, no surrounding punctuation: how typed answers are compared.
 * Khmer is written without spaces between words; keyboards put a zero-width space or a plain space where the writer
 * pressed the space bar. So whitespace between two Khmer letters is dropped ("ចាក ចេញ" and "ចាក\u200bចេញ" are "ចាកចេញ"),
 * and invisible joiners (U+200C, U+200D, U+2060) are removed.
 */
export function normaliseInput(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\u17e0-\u17e9]/g, (digit) => String(digit.charCodeAt(0) - 0x17e0))
    .toLowerCase()
    .replace(/\u200c|\u200d|\u2060/g, "")
    .replace(/[\s\u200b]+/g, " ")
    .replace(/(?<=[\u1780-\u17ff]) (?=[\u1780-\u17ff])/g, "")
    .replace(/^[\s.!?។៕៖,:;"'“”‘’()-]+|[\s.!?។៕៖,:;"'“”‘’()-]+$/g, "");
}
