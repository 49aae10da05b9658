// English words for the explanations coordinators read. Staff-facing, so plain rather than survivor-friendly.
import type { Weekday } from "../directory/hours.ts";
import type { Category, Province, ServiceLanguage } from "../directory/taxonomy.ts";
import type { LocalOpening } from "../organisations/index.ts";

export function categoryWords(category: Category): string {
  return category.replaceAll("_", " ");
}

export function provinceWords(province: Exclude<Province, "other">): string {
  return province
    .split("_")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

const LANGUAGE_NAMES: Readonly<Record<ServiceLanguage, string>> = { km: "Khmer", en: "English" };

export function languageWords(language: ServiceLanguage): string {
  return LANGUAGE_NAMES[language];
}

const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

export function openingWords(opening: LocalOpening): string {
  return `${DAY_NAMES[opening.weekday]} ${opening.time}`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st … */
export function ordinal(n: number): string {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`;
  const suffix = ({ 1: "st", 2: "nd", 3: "rd" } as Readonly<Record<number, string>>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

export function percent(numerator: number, denominator: number): string {
  return `${Math.round((100 * numerator) / denominator)}%`;
}
