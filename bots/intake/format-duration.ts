import { translate } from "../../core/i18n/translate.ts";
import type { Locale } from "../../core/i18n/locales.ts";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** "30 days", "12 hours", "15 minutes": the largest whole unit, rounded down, at least one minute. */
export function formatDuration(locale: Locale, ms: number): string {
  if (ms >= day && ms % day === 0) return translate(locale, "duration.days", { count: ms / day });
  if (ms >= hour && ms % hour === 0) return translate(locale, "duration.hours", { count: ms / hour });
  if (ms >= day) return translate(locale, "duration.days", { count: Math.floor(ms / day) });
  if (ms >= hour) return translate(locale, "duration.hours", { count: Math.floor(ms / hour) });
  return translate(locale, "duration.minutes", { count: Math.max(1, Math.floor(ms / minute)) });
}
