import { parseCaseCode, type CaseCode } from "../../core/cases/case-code.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import { translate } from "../../core/i18n/translate.ts";

/**
 * What staff may type in a queue room or the monitors' room, declared as data: each command's name, what it
 * takes, and its one-line help. Parsing is pure; the router bot decides what each does.
 */
export const staffCommands = {
  claim: { args: ["code"], usage: "!claim CODE", help: "staff.help.claim" },
  release: { args: ["code"], usage: "!release CODE", help: "staff.help.release" },
  transfer: { args: ["code", "org"], usage: "!transfer CODE ORG", help: "staff.help.transfer" },
  close: { args: ["code"], usage: "!close CODE", help: "staff.help.close" },
  cases: { args: [], usage: "!cases", help: "staff.help.cases" },
  ack: { args: ["code"], usage: "!ack CODE", help: "staff.help.ack" },
  help: { args: [], usage: "!help", help: "staff.help.help" },
} as const;

export type StaffCommandName = keyof typeof staffCommands;

export type StaffCommand =
  | { name: "claim" | "ack"; code: CaseCode }
  | { name: "release" | "close"; code: CaseCode }
  | { name: "transfer"; code: CaseCode; org: string }
  | { name: "cases" | "help" };

export type ParsedCommand =
  | { ok: true; command: StaffCommand }
  | { ok: false; problem: "not-a-command" }
  | { ok: false; problem: "unknown-command"; name: string }
  | { ok: false; problem: "bad-arguments"; name: StaffCommandName; usage: string }
  | { ok: false; problem: "bad-code"; name: StaffCommandName; usage: string };

function isCommandName(name: string): name is StaffCommandName {
  return Object.hasOwn(staffCommands, name);
}

/**
 * What phones and Khmer keyboards put into typed commands, made plain: zero-width spaces (where the space bar was
 * pressed) as spaces, Khmer digits (០–៩) as 0–9, and the dashes autocorrect makes of a hyphen as a hyphen.
 */
function plainCommandText(text: string): string {
  return text
    .replace(/[\u200b\u2060\ufeff]/g, " ")
    .replace(/[\u17e0-\u17e9]/g, (digit) => String(digit.charCodeAt(0) - 0x17e0))
    .replace(/[\u2010-\u2015\u2212]/g, "-");
}

/** "!claim k7q2-m4xp", "  !CLAIM   K7Q2 M4XP ", "!transfer K7Q2-M4XP ngo-b", "!claim ៧៥..." … */
export function parseStaffCommand(text: string): ParsedCommand {
  const trimmed = plainCommandText(text).trim();
  if (!trimmed.startsWith("!")) return { ok: false, problem: "not-a-command" };
  const [rawName = "", ...rest] = trimmed.slice(1).split(/\s+/);
  const name = rawName.toLowerCase();
  if (!isCommandName(name)) return { ok: false, problem: "unknown-command", name: name.slice(0, 32) };
  const spec = staffCommands[name];
  const usage = spec.usage;
  if (spec.args.length === 0) {
    return rest.length === 0
      ? { ok: true, command: { name } as StaffCommand }
      : { ok: false, problem: "bad-arguments", name, usage };
  }
  const wantsOrg = spec.args.includes("org" as never);
  const orgPart = wantsOrg ? rest.at(-1) : undefined;
  const codePart = (wantsOrg ? rest.slice(0, -1) : rest).join("");
  if (codePart === "" || (wantsOrg && (orgPart === undefined || rest.length < 2))) {
    return { ok: false, problem: "bad-arguments", name, usage };
  }
  const code = parseCaseCode(codePart);
  if (code === undefined) return { ok: false, problem: "bad-code", name, usage };
  if (name === "transfer") return { ok: true, command: { name, code, org: orgPart!.toLowerCase() } };
  if (name === "release" || name === "close") return { ok: true, command: { name, code } };
  return { ok: true, command: { name: name as "claim" | "ack", code } };
}

/** The commands, one line each, in the staff's language (the commands themselves are the same in every language). */
export function staffHelp(locale: Locale): string {
  return Object.values(staffCommands)
    .map((command) => translate(locale, command.help))
    .join("\n");
}
