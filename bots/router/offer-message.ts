import { translate } from "../../core/i18n/translate.ts";
import type { Case } from "../../core/db/schema.ts";
import { isCategory, isProvince } from "../../core/directory/index.ts";

/** Staff read offers in English here; the org's own language comes with the staff catalogue (see notes). */
const staffLocale = "en";

function minutesWaiting(theCase: Case, now: number): number {
  return Math.max(0, Math.floor((now - theCase.created_at) / 60_000));
}

/**
 * An offer as a responder sees it in her organisation's queue room: the facts needed to decide, never the
 * survivor's account or words, and the exact command that claims it.
 */
export function offerMessage(theCase: Case, now: number): string {
  const category =
    theCase.category !== null && isCategory(theCase.category)
      ? translate(staffLocale, `category.${theCase.category}`)
      : "not given";
  const province =
    theCase.province !== null && isProvince(theCase.province)
      ? translate(staffLocale, `province.${theCase.province}`)
      : "not given";
  const language =
    { km: "Khmer", en: "English", either: "Khmer or English" }[theCase.service_language ?? ""] ?? "not given";
  const lines = [
    `${theCase.urgent ? "URGENT — " : ""}New case ${theCase.id}`,
    `Needs: ${category}`,
    `Province: ${province}`,
    `Language: ${language}`,
    `Waiting: ${minutesWaiting(theCase, now)} min`,
  ];
  if (theCase.consent_summary)
    lines.push(`Age group: ${theCase.under18 ? "under 18 (child protection)" : "18 or older"}`);
  else if (theCase.under18) lines.push("Age group: under 18 (child protection)");
  lines.push(`To take it: !claim ${theCase.id}  (or react ✅ to this message)`);
  return lines.join("\n");
}

export function offerTakenMessage(code: string, orgName: string): string {
  return `Case ${code} — taken by ${orgName}. No action needed.`;
}

export function offerExpiredMessage(code: string): string {
  return `Case ${code} — no longer offered here (not claimed in time; it went to another organisation).`;
}
