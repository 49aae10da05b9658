// The earlier conversation of a transferred case as the new organisation reads it, and her yes/no answer: pure.
import type { CaseHistoryEntry, EarlierConversationAnswer } from "../core/db/schema.ts";
import { locales, type Locale } from "../core/i18n/locales.ts";
import { normaliseInput, translate, wordList } from "../core/i18n/translate.ts";
import { utf8Bytes } from "./relay-plan.ts";

/** One line of the earlier conversation: who ("Case CODE" for her, the organisation's short name for them). */
export interface EarlierLine {
  at: number;
  who: string;
  text: string;
}

/** The organisations a case-history entry moved the case between, when it records a transfer. */
export function transferOf(entry: CaseHistoryEntry): { from: string; to: string } | undefined {
  if (entry.to_state !== "offered") return undefined;
  const match = /^transfer:([^>]+)->(.+)$/.exec(entry.reason ?? "");
  return match === null ? undefined : { from: match[1]!, to: match[2]! };
}

/** "1"/"2" as in the other questions, or yes/no words in either language. */
export function earlierConversationAnswer(body: string): EarlierConversationAnswer | undefined {
  const text = normaliseInput(body);
  if (text === "1" || locales.some((locale) => wordList(locale, "bridge.words.yes").includes(text))) return "yes";
  if (text === "2" || locales.some((locale) => wordList(locale, "bridge.words.no").includes(text))) return "no";
  return undefined;
}

function timeOf(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("day")} ${part("month")} ${part("hour")}:${part("minute")}`;
}

/**
 * The lines as notices for the new organisation's room, each at most `maxBytes` (UTF-8), the first one saying
 * what they are. A line longer than a notice is cut (the original stays in the earlier room until it expires).
 */
export function earlierConversationNotices(spec: {
  locale: Locale;
  code: string;
  fromOrgs: readonly string[];
  lines: readonly EarlierLine[];
  timeZone: string;
  maxBytes: number;
}): string[] {
  const { locale, code } = spec;
  const orgs = spec.fromOrgs.join(translate(locale, "staff.earlier.then"));
  const header = translate(locale, "staff.earlier.header", { code, orgs, timeZone: spec.timeZone });
  const continued = translate(locale, "staff.earlier.continued", { code });
  const notices: string[] = [];
  let current = header;
  for (const line of spec.lines) {
    let text = `[${timeOf(line.at, spec.timeZone)}] ${line.who}: ${line.text}`;
    while (utf8Bytes(text) > spec.maxBytes - utf8Bytes(continued) - 1) text = `${text.slice(0, text.length - 64)}…`;
    if (utf8Bytes(`${current}\n${text}`) > spec.maxBytes) {
      notices.push(current);
      current = continued;
    }
    current = `${current}\n${text}`;
  }
  notices.push(current);
  return notices;
}
