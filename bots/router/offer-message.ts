import { translate } from "../../core/i18n/translate.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import type { Case } from "../../core/db/schema.ts";
import { isCategory, isProvince } from "../../core/directory/index.ts";

function minutesWaiting(theCase: Case, now: number): number {
  return Math.max(0, Math.floor((now - theCase.created_at) / 60_000));
}

function languageWords(locale: Locale, language: string | null): string {
  if (language === "km" || language === "en" || language === "either")
    return translate(locale, `staff.language.${language}`);
  return translate(locale, "staff.offer.notGiven");
}

/**
 * An offer as a responder sees it in her organisation's queue room, in the organisation's staff language: the
 * facts needed to decide, never the survivor's account or words, and the exact command that claims it.
 */
export function offerMessage(locale: Locale, theCase: Case, now: number): string {
  const notGiven = translate(locale, "staff.offer.notGiven");
  const category =
    theCase.category !== null && isCategory(theCase.category)
      ? translate(locale, `category.${theCase.category}`)
      : notGiven;
  const province =
    theCase.province !== null && isProvince(theCase.province)
      ? translate(locale, `province.${theCase.province}`)
      : notGiven;
  const lines = [
    translate(locale, theCase.urgent ? "staff.offer.newUrgent" : "staff.offer.new", { code: theCase.id }),
    translate(locale, "staff.offer.needs", { category }),
    translate(locale, "staff.offer.province", { province }),
    translate(locale, "staff.offer.language", { language: languageWords(locale, theCase.service_language) }),
    translate(locale, "staff.offer.waiting", { minutes: minutesWaiting(theCase, now) }),
  ];
  if (theCase.consent_summary)
    lines.push(translate(locale, theCase.under18 ? "staff.offer.under18" : "staff.offer.adult"));
  else if (theCase.under18) lines.push(translate(locale, "staff.offer.under18"));
  lines.push(translate(locale, "staff.offer.howToClaim", { code: theCase.id }));
  return lines.join("\n");
}

export function offerTakenMessage(locale: Locale, code: string, orgName: string): string {
  return translate(locale, "staff.offer.taken", { code, org: orgName });
}

export function offerExpiredMessage(locale: Locale, code: string): string {
  return translate(locale, "staff.offer.expired", { code });
}
