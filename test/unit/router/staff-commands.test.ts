import { describe, expect, it } from "vitest";
import { parseStaffCommand, staffCommands, staffHelp } from "../../../bots/router/staff-commands.ts";

describe("staff commands", () => {
  it.each([
    ["!claim K7Q2-M4XP", { name: "claim", code: "K7Q2-M4XP" }],
    ["  !CLAIM   k7q2 m4xp ", { name: "claim", code: "K7Q2-M4XP" }],
    ["!claim k7q2m4xp", { name: "claim", code: "K7Q2-M4XP" }],
    ["!release K7Q2-M4XP", { name: "release", code: "K7Q2-M4XP" }],
    ["!close K7Q2-M4XP", { name: "close", code: "K7Q2-M4XP" }],
    ["!ack K7Q2-M4XP", { name: "ack", code: "K7Q2-M4XP" }],
    ["!transfer K7Q2-M4XP NGO-B", { name: "transfer", code: "K7Q2-M4XP", org: "ngo-b" }],
    ["!cases", { name: "cases" }],
    ["!help", { name: "help" }],
    ["!Help", { name: "help" }],
    ["\t!cases\n", { name: "cases" }],
    ["!Claim\u00a0K7Q2-M4XP", { name: "claim", code: "K7Q2-M4XP" }],
    ["!claim\u200bK7Q2-M4XP", { name: "claim", code: "K7Q2-M4XP" }],
    ["!claim K៧Q២-M៤XP", { name: "claim", code: "K7Q2-M4XP" }],
    ["!claim K7Q2–M4XP", { name: "claim", code: "K7Q2-M4XP" }],
    ["!TRANSFER   k7q2-m4xp    Ngo-B  ", { name: "transfer", code: "K7Q2-M4XP", org: "ngo-b" }],
    ["!transfer K7Q2 M4XP ngo-b", { name: "transfer", code: "K7Q2-M4XP", org: "ngo-b" }],
  ])("reads %j", (text, command) => {
    expect(parseStaffCommand(text)).toEqual({ ok: true, command });
  });

  it.each([
    ["hello", { ok: false, problem: "not-a-command" }],
    ["!frobnicate now", { ok: false, problem: "unknown-command", name: "frobnicate" }],
    ["!claim", { ok: false, problem: "bad-arguments", name: "claim", usage: "!claim CODE" }],
    ["!claim K7Q2-M4X0", { ok: false, problem: "bad-code", name: "claim", usage: "!claim CODE" }],
    ["!transfer K7Q2-M4XP", { ok: false, problem: "bad-arguments", name: "transfer", usage: "!transfer CODE ORG" }],
    ["!cases extra", { ok: false, problem: "bad-arguments", name: "cases", usage: "!cases" }],
  ])("refuses %j with a reason", (text, result) => {
    expect(parseStaffCommand(text)).toEqual(result);
  });

  it.each(["en", "km"] as const)("lists every command in the %s help", (locale) => {
    for (const name of Object.keys(staffCommands)) expect(staffHelp(locale)).toContain(`!${name}`);
  });

  it("explains the commands in Khmer for a Khmer-speaking organisation", () => {
    expect(staffHelp("km")).toContain("!claim CODE — ទទួលយកករណី");
  });
});
