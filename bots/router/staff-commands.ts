import { parseCaseCode, type CaseCode } from "../../core/cases/case-code.ts";

/**
 * What staff may type in a queue room or the monitors' room, declared as data: each command's name, what it
 * takes, and its one-line help. Parsing is pure; the router bot decides what each does.
 */
export const staffCommands = {
  claim: { args: ["code"], help: "!claim CODE — take the case: your organisation becomes responsible for it" },
  release: { args: ["code"], help: "!release CODE — give the case back to routing" },
  transfer: { args: ["code", "org"], help: "!transfer CODE ORG — move the case to another organisation" },
  close: { args: ["code"], help: "!close CODE — close the case" },
  cases: { args: [], help: "!cases — this organisation's open cases" },
  ack: { args: ["code"], help: "!ack CODE — (monitors' room) record that you have looked at the case's alerts" },
  help: { args: [], help: "!help — this list" },
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

/** "!claim k7q2-m4xp", "  !CLAIM   K7Q2 M4XP ", "!transfer K7Q2-M4XP ngo-b" … */
export function parseStaffCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (!trimmed.startsWith("!")) return { ok: false, problem: "not-a-command" };
  const [rawName = "", ...rest] = trimmed.slice(1).split(/\s+/);
  const name = rawName.toLowerCase();
  if (!isCommandName(name)) return { ok: false, problem: "unknown-command", name: name.slice(0, 32) };
  const spec = staffCommands[name];
  const usage = spec.help.split(" — ")[0]!;
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

export function staffHelp(): string {
  return Object.values(staffCommands)
    .map((command) => command.help)
    .join("\n");
}
