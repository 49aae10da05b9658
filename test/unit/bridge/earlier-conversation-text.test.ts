import { describe, expect, it } from "vitest";
import {
  earlierConversationAnswer,
  earlierConversationNotices,
  transferOf,
} from "../../../bridge/earlier-conversation-text.ts";
import { utf8Bytes } from "../../../bridge/relay-plan.ts";

const entry = (to_state: "offered" | "claimed", reason: string | null) => ({
  id: 7,
  case_id: "K7Q2-M4XP",
  at: 0,
  from_state: "active" as const,
  to_state,
  actor: "@a:partner",
  org_id: null,
  reason,
});

describe("the earlier conversation on a transfer", () => {
  it("reads a transfer from the case history, and nothing else as one", () => {
    expect(transferOf(entry("offered", "transfer:ngo-a->ngo-b"))).toEqual({ from: "ngo-a", to: "ngo-b" });
    expect(transferOf(entry("offered", "offered:ngo-a:rule"))).toBeUndefined();
    expect(transferOf(entry("claimed", "transfer:ngo-a->ngo-b"))).toBeUndefined();
    expect(transferOf(entry("offered", null))).toBeUndefined();
  });

  it("takes 1/2 and yes/no words in Khmer and English, and nothing else, as her answer", () => {
    for (const yes of ["1", "១", "yes", " Yes! ", "ចាស", "បាទ", "ចាស/បាទ"])
      expect(earlierConversationAnswer(yes)).toBe("yes");
    for (const no of ["2", "២", "no", "NO.", "ទេ", "អត់ទេ"]) expect(earlierConversationAnswer(no)).toBe("no");
    for (const other of ["12", "yes please call me", "ok then later", "", "3"]) {
      expect(earlierConversationAnswer(other)).toBeUndefined();
    }
  });

  it("marks the text as earlier messages, with times in the organisation's zone, split under the size limit", () => {
    const at = Date.UTC(2026, 10, 28, 17, 5);
    const notices = earlierConversationNotices({
      locale: "en",
      code: "K7Q2-M4XP",
      fromOrgs: ["NGO-A"],
      lines: [
        { at, who: "Case K7Q2-M4XP", text: "hello" },
        { at: at + 60_000, who: "NGO-A", text: "we are here" },
      ],
      timeZone: "Asia/Phnom_Penh",
      maxBytes: 16_384,
    });
    expect(notices).toEqual([
      "Earlier messages of case K7Q2-M4XP with NGO-A, passed on with her agreement (text only; photos and files are not passed on). Times: Asia/Phnom_Penh.\n" +
        "[29 Nov 00:05] Case K7Q2-M4XP: hello\n[29 Nov 00:06] NGO-A: we are here",
    ]);

    const many = earlierConversationNotices({
      locale: "en",
      code: "K7Q2-M4XP",
      fromOrgs: ["NGO-A", "NGO-B"],
      lines: Array.from({ length: 300 }, (_, i) => ({ at, who: "NGO-A", text: `ពាក្យ ${i} `.repeat(10) })),
      timeZone: "UTC",
      maxBytes: 4_096,
    });
    expect(many.length).toBeGreaterThan(1);
    for (const notice of many) expect(utf8Bytes(notice)).toBeLessThanOrEqual(4_096);
    expect(many[1]).toMatch(/^Earlier messages of case K7Q2-M4XP \(continued\):\n/);
    expect(many.join("\n").match(/ពាក្យ 299 /g)).toHaveLength(10);
  });

  it("speaks the organisation's staff language", () => {
    const [notice] = earlierConversationNotices({
      locale: "km",
      code: "K7Q2-M4XP",
      fromOrgs: ["NGO-A", "NGO-B"],
      lines: [{ at: Date.UTC(2026, 10, 28, 17, 5), who: "ករណី K7Q2-M4XP", text: "សួស្តី" }],
      timeZone: "Asia/Phnom_Penh",
      maxBytes: 16_384,
    });
    expect(notice).toMatch(/^សារមុនៗរបស់ករណី K7Q2-M4XP ជាមួយ NGO-A បន្ទាប់មក NGO-B /);
    expect(notice).toContain("\n[29 Nov 00:05] ករណី K7Q2-M4XP: សួស្តី");
    expect(notice).not.toMatch(/Earlier|passed on/);
  });
});
