import type { Catalogue } from "./catalogue.ts";
import { en } from "./catalogues/en.ts";
import { km } from "./catalogues/km.ts";

/**
 * Every locale Haven speaks, in the order survivors are offered them (Khmer first for the Phnom Penh pilot).
 * Adding a locale: add its catalogue file and one line here; the completeness test checks the rest.
 */
export const catalogues = {
  km,
  en,
} as const satisfies Record<string, Catalogue>;

export type Locale = keyof typeof catalogues;

export const locales = Object.keys(catalogues) as Locale[];

export const defaultLocale: Locale = "km";

export function isLocale(value: string): value is Locale {
  return Object.hasOwn(catalogues, value);
}
