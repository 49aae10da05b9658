import { describe, expect, it } from "vitest";
import {
  converse,
  firstContact,
  menu,
  question,
  type Context,
  type Conversation,
  type Turn,
} from "../../../bots/intake/dialogue.ts";
import { translate } from "../../../core/i18n/translate.ts";
import { categories, provinces, type Service } from "../../../core/directory/index.ts";

const hotline: Service = {
  id: "hotline",
  organisationId: "org",
  name: { km: "ខ្សែទូរស័ព្ទ", en: "Hotline" },
  description: { km: "សាកល្បង", en: "Test" },
  address: { km: "ភ្នំពេញ", en: "Phnom Penh" },
  categories: ["hotline"],
  provinces: ["nationwide"],
  languages: ["km", "en"],
  phone: "1288",
  hours: { timeZone: "Asia/Phnom_Penh", always: true, weekly: {} },
  emergency: true,
};
const context: Context = { services: [hotline], now: new Date("2026-11-28T10:00:00Z"), openCase: undefined };
const atStep = (conversation: Conversation, text: string, ctx: Context = context): Turn =>
  converse(conversation, { kind: "text", text }, ctx);
const choose = (list: readonly string[], item: string): string => String(list.indexOf(item) + 1);

function walk(start: Conversation | undefined, answers: string[], ctx: Context = context): Turn {
  let turn = converse(start, { kind: "text", text: "hello" }, ctx);
  for (const answer of answers) turn = atStep(turn.conversation!, answer, ctx);
  return turn;
}

describe("intake dialogue", () => {
  it("greets a new survivor in every language and asks which she wants", () => {
    const turn = converse(undefined, { kind: "text", text: "hi" }, context);
    expect(turn.replies).toEqual([firstContact()]);
    expect(turn.conversation).toEqual({ locale: null, step: { name: "choose-language" } });
    expect(firstContact()).toContain(translate("km", "welcome.first"));
    expect(firstContact()).toContain(translate("en", "welcome.first"));
  });

  it.each([
    ["1", "km"],
    ["១", "km"],
    ["ខ្មែរ", "km"],
    ["Khmer", "km"],
    ["2", "en"],
    ["២", "en"],
    ["english", "en"],
  ])("chooses a language from %j", (answer, locale) => {
    const turn = walk(undefined, [answer]);
    expect(turn.conversation).toEqual({ locale, step: { name: "menu" } });
    expect(turn.replies[0]).toContain(menu(locale as "km" | "en"));
  });

  it("asks again, in every language, when the language answer is unclear", () => {
    const turn = walk(undefined, ["bonjour"]);
    expect(turn.conversation?.locale).toBeNull();
    expect(turn.replies.join("\n")).toContain(translate("km", "input.unknown"));
    expect(turn.replies.join("\n")).toContain(translate("en", "input.unknown"));
  });

  it("walks triage to an open-case effect with enums only", () => {
    const turn = walk(undefined, [
      "2",
      "2",
      choose(categories, "workplace_harassment"),
      choose(provinces, "kandal"),
      "3",
      "1",
      "1",
      "1",
    ]);
    expect(turn.effects).toEqual([
      {
        type: "open-case",
        triage: {
          category: "workplace_harassment",
          province: "kandal",
          language: "either",
          urgent: true,
          ageGroup: "under18",
          consentSummary: true,
        },
      },
    ]);
    expect(turn.conversation).toEqual({ locale: "en", step: { name: "menu" } });
  });

  it("lets every triage question but the first be skipped with 0", () => {
    const first = walk(undefined, ["2", "2", "0"]);
    expect(first.conversation?.step.name).toBe("triage-kind");
    expect(first.replies[0]).toContain(translate("en", "input.unknown"));
    const skipped = walk(undefined, ["2", "2", "1", "0", "0", "0", "0", "0"]);
    expect(skipped.effects).toEqual([
      {
        type: "open-case",
        triage: {
          category: categories[0],
          province: null,
          language: null,
          urgent: null,
          ageGroup: null,
          consentSummary: false,
        },
      },
    ]);
  });

  it("shows emergency numbers at once when she is in danger now", () => {
    const turn = walk(undefined, ["2", "2", "1", "1", "1", "1"]);
    expect(turn.replies[0]).toContain("1288");
    expect(turn.replies[0]).toContain(translate("en", "triage.dangerYes", { numbers: "Hotline: 1288" }));
    expect(turn.conversation?.step.name).toBe("triage-age");
  });

  it("sends her to her open case instead of opening a second", () => {
    const ctx = { ...context, openCase: { code: "K7Q2-M4XP", roomName: "Chat K7Q2-M4XP" } };
    const turn = walk(undefined, ["2", "2"], ctx);
    expect(turn.replies).toEqual([translate("en", "triage.alreadyOpen", ctx.openCase)]);
    expect(turn.effects).toEqual([]);
  });

  it.each(["exit", "EXIT", "ចាកចេញ", " ចាក​ចេញ។ "])("quick-exits on %j from any step, in any locale", (word) => {
    const inTriage = walk(undefined, ["1", "2", "1"]);
    expect(atStep(inTriage.conversation!, word)).toEqual({
      conversation: null,
      replies: [],
      effects: [{ type: "quick-exit" }],
    });
  });

  it("brings the menu back with menu words of either language", () => {
    const inTriage = walk(undefined, ["2", "2", "1"]);
    for (const word of ["menu", "ម៉ឺនុយ"]) {
      expect(atStep(inTriage.conversation!, word).conversation?.step).toEqual({ name: "menu" });
    }
  });

  it.each([
    [{ kind: "not-text" } as const, "input.notText"],
    [{ kind: "edit" } as const, "input.edit"],
    [{ kind: "too-long" } as const, "input.tooLong"],
  ])("answers %j and repeats the question without moving", (input, key) => {
    const conversation: Conversation = { locale: "km", step: { name: "triage-kind" } };
    const turn = converse(conversation, input, context);
    expect(turn.conversation).toEqual(conversation);
    expect(turn.replies).toEqual([translate("km", key as "input.edit"), question("km", conversation.step)]);
  });

  it("never repeats what she wrote", () => {
    const turn = walk(undefined, ["2", "<script>alert(1)</script>"]);
    expect(turn.replies.join("\n")).not.toContain("<script>");
  });
});
