import { describe, expect, it } from "vitest";
import { offerExpiredMessage, offerMessage, offerTakenMessage } from "../../../bots/router/offer-message.ts";
import type { Case } from "../../../core/db/schema.ts";

const T0 = 1_767_000_000_000;

function waitingCase(overrides: Partial<Case> = {}): Case {
  return {
    id: "K7Q2-M4XP",
    state: "waiting",
    survivor_mxid: "@her-account:hub.example.org",
    survivor_room_id: "!her-room:hub.example.org",
    locale: "km",
    category: "domestic_violence",
    province: "phnom_penh",
    service_language: "km",
    urgent: false,
    under18: false,
    consent_summary: true,
    org_id: null,
    created_at: T0,
    updated_at: T0,
    closed_at: null,
    ...overrides,
  };
}

describe("an offer in a queue room", () => {
  it("reads in Khmer for a Khmer-speaking organisation, with the command that claims it", () => {
    const text = offerMessage("km", waitingCase(), T0 + 7 * 60_000);
    expect(text.split("\n")).toEqual([
      "ករណីថ្មី K7Q2-M4XP",
      "ត្រូវការ៖ អំពើហិង្សាក្នុងគ្រួសារ",
      "ខេត្ត៖ ភ្នំពេញ",
      "ភាសា៖ ខ្មែរ",
      "រង់ចាំ៖ 7 នាទី",
      "អាយុ៖ 18 ឆ្នាំឡើងទៅ",
      "ដើម្បីទទួលយកករណីនេះ៖ !claim K7Q2-M4XP  (ឬដាក់ ✅ លើសារនេះ)",
    ]);
  });

  it("reads in English for an English-speaking organisation", () => {
    const text = offerMessage("en", waitingCase({ urgent: true, under18: true, service_language: "either" }), T0);
    expect(text.split("\n")).toEqual([
      "URGENT — New case K7Q2-M4XP",
      "Needs: Violence at home",
      "Province: Phnom Penh",
      "Language: Khmer or English",
      "Waiting: 0 min",
      "Age group: under 18 (child protection)",
      "To take it: !claim K7Q2-M4XP  (or react ✅ to this message)",
    ]);
  });

  it.each(["en", "km"] as const)(
    "in %s, never names her account or room, and says so when a fact is missing",
    (locale) => {
      const text = offerMessage(locale, waitingCase({ category: null, province: null, service_language: null }), T0);
      expect(text).not.toContain("her-account");
      expect(text).not.toContain("her-room");
      expect(text.match(locale === "km" ? /មិនបានប្រាប់/g : /not given/g)).toHaveLength(3);
    },
  );

  it("is edited to 'taken' and 'expired' in the organisation's language", () => {
    expect(offerTakenMessage("km", "K7Q2-M4XP", "អង្គការ ក")).toBe(
      "ករណី K7Q2-M4XP — អង្គការ ក បានទទួលយកហើយ។ មិនចាំបាច់ធ្វើអ្វីទេ។",
    );
    expect(offerExpiredMessage("en", "K7Q2-M4XP")).toContain("no longer offered here");
  });
});
