// The words the directory is searched by. The bots number these lists in this order: append, never reorder.

/** Kinds of help a service gives. */
export const CATEGORIES = [
  "domestic_violence",
  "sexual_violence",
  "workplace_harassment",
  "online_abuse",
  "trafficking",
  "legal_aid",
  "health",
  "shelter",
  "psychosocial",
  "police",
  "hotline",
  "other",
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Provinces a survivor can say she is in. `other` is her answer when hers is not listed: it finds the
 * nationwide services only, so a service cannot list `other` (it would never be found).
 */
export const PROVINCES = [
  "phnom_penh",
  "kandal",
  "kampong_speu",
  "takeo",
  "prey_veng",
  "kampong_cham",
  "siem_reap",
  "battambang",
  "other",
] as const;
export type Province = (typeof PROVINCES)[number];

/** What a service lists instead of provinces when it serves the whole country. */
export const NATIONWIDE = "nationwide";
/** Where a service works: a listed province (not `other`) or the whole country. */
export type ServiceArea = Exclude<Province, "other"> | typeof NATIONWIDE;
export const SERVICE_AREAS: readonly ServiceArea[] = [
  ...PROVINCES.filter((province): province is Exclude<Province, "other"> => province !== "other"),
  NATIONWIDE,
];

/** Languages a service's staff speak with survivors; also the languages of every directory text. */
export const SERVICE_LANGUAGES = ["km", "en"] as const;
export type ServiceLanguage = (typeof SERVICE_LANGUAGES)[number];

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

export function isProvince(value: string): value is Province {
  return (PROVINCES as readonly string[]).includes(value);
}

/** The same lists under the lower-case names the bots use. */
export { CATEGORIES as categories, PROVINCES as provinces };
