import { describe, expect, it } from "vitest";
import type { MessageKey } from "../../../core/i18n/catalogue.ts";
import { en } from "../../../core/i18n/catalogues/en.ts";
import { km } from "../../../core/i18n/catalogues/km.ts";
import { locales, type Locale } from "../../../core/i18n/locales.ts";
import { normaliseInput, parameterNames, translate } from "../../../core/i18n/translate.ts";

/** translate() without the compile-time parameter typing, for loops over every key. */
const translateAny = translate as (locale: Locale, key: MessageKey, params?: Record<string, string | number>) => string;

const messageKeys = Object.keys(en) as MessageKey[];

describe("translate()", () => {
  it("fills a parameter", () => {
    expect(translate("en", "services.phone", { phone: "023 123 456" })).toBe("Phone: 023 123 456");
    expect(translate("km", "caseRoom.name", { code: "K7Q2-M4" })).toBe("ការសន្ទនា K7Q2-M4");
  });

  it("fills several parameters, and numbers", () => {
    expect(translate("km", "triage.caseOpened", { code: "K7Q2-M4", roomName: "ការសន្ទនា K7Q2-M4" })).toBe(
      'អរគុណ។ លេខករណីរបស់អ្នកគឺ K7Q2-M4។ ខ្ញុំបានអញ្ជើញអ្នកចូលការជជែកឯកជនថ្មីមួយ ឈ្មោះ "ការសន្ទនា K7Q2-M4"។ សូមទទួលយកការអញ្ជើញនោះ។',
    );
    expect(translate("km", "duration.days", { count: 30 })).toBe("30 ថ្ងៃ");
    expect(translate("en", "duration.minutes", { count: 5 })).toBe("5 minutes");
  });

  it("returns a message without parameters as written", () => {
    expect(translate("km", "menu.title")).toBe(km["menu.title"]);
  });

  it("does not expand braces that arrive inside a parameter value", () => {
    expect(translate("en", "services.address", { address: "{phone} Street 271" })).toBe("Address: {phone} Street 271");
  });

  it("throws when a parameter is missing", () => {
    // @ts-expect-error -- the type demands { phone }; the runtime check is what this test is about
    expect(() => translate("km", "services.phone")).toThrow("message services.phone (km) needs parameter {phone}");
    expect(() => translateAny("en", "triage.caseOpened", { code: "K7Q2-M4" })).toThrow(
      "message triage.caseOpened (en) needs parameter {roomName}",
    );
  });

  it.each(locales)("%s: every message, with its parameters given, leaves no brace on screen", (locale) => {
    for (const key of messageKeys) {
      const params = Object.fromEntries(parameterNames(en[key]).map((name) => [name, "X"]));
      const text = translateAny(locale, key, params);
      expect(text, `${locale} ${key}`).not.toMatch(/[{}]/);
    }
  });

  it("Khmer messages are written in Khmer script", () => {
    const khmerLetter = /[\u1780-\u17ff]/;
    for (const key of messageKeys) {
      if (key.startsWith("menu.words.")) continue; // may include romanised forms next to Khmer ones
      expect(km[key], key).toMatch(khmerLetter);
    }
  });

  it("Khmer messages keep ASCII digits, as the menus show them", () => {
    for (const key of messageKeys) expect(km[key], key).not.toMatch(/[\u17e0-\u17e9]/);
  });

  it("Khmer messages keep the line structure of English (numbered lists stay lists)", () => {
    for (const key of messageKeys) {
      const lines = (text: string) => text.split("\n").map((line) => /^\d+\. /.exec(line)?.[0] ?? "");
      expect(lines(km[key]), key).toEqual(lines(en[key]));
    }
  });

  it("the Khmer safety tips keep the emergency numbers and their source", () => {
    for (const number of ["117", "119", "118"]) expect(km["safety.tips"]).toContain(number);
    expect(km["safety.tips"]).toMatch(/ប្រភព៖.*117.*119.*118/);
  });
});

describe("normaliseInput()", () => {
  it("turns Khmer digits into ASCII digits", () => {
    expect(normaliseInput("០១២៣៤៥៦៧៨៩")).toBe("0123456789");
    expect(normaliseInput("២")).toBe("2");
    expect(normaliseInput("ម៉ឺនុយ ៣")).toBe("ម៉ឺនុយ 3");
  });

  it("folds case", () => {
    expect(normaliseInput("EXIT")).toBe("exit");
    expect(normaliseInput("Ask For HELP")).toBe("ask for help");
  });

  it("applies NFC, so composed and decomposed letters compare equal", () => {
    expect(normaliseInput("cafe\u0301")).toBe("café");
  });

  it("trims surrounding punctuation, including Khmer ។ ៕ ៖", () => {
    expect(normaliseInput("  exit!  ")).toBe("exit");
    expect(normaliseInput('"menu".')).toBe("menu");
    expect(normaliseInput("ចាកចេញ។")).toBe("ចាកចេញ");
    expect(normaliseInput("ចាកចេញ ៕")).toBe("ចាកចេញ");
    expect(normaliseInput("ម៉ឺនុយ៖")).toBe("ម៉ឺនុយ");
    expect(normaliseInput("(1)")).toBe("1");
  });

  it("keeps punctuation inside the text", () => {
    expect(normaliseInput("K7Q2-M4")).toBe("k7q2-m4");
  });

  it("collapses whitespace, including non-breaking and zero-width spaces", () => {
    expect(normaliseInput("ask \t for\n\nhelp")).toBe("ask for help");
    expect(normaliseInput("ask\u00a0for\u200bhelp")).toBe("ask for help");
    expect(normaliseInput("\u200b exit \u200b")).toBe("exit");
  });

  it("joins Khmer words however the keyboard separated them", () => {
    expect(normaliseInput("ចាក ចេញ")).toBe("ចាកចេញ");
    expect(normaliseInput("ចាក\u200bចេញ")).toBe("ចាកចេញ");
    expect(normaliseInput("សុំ  \u200b ជំនួយ")).toBe("សុំជំនួយ");
    expect(normaliseInput("ចាក\u200cចេញ")).toBe("ចាកចេញ");
    // a space between Khmer and anything else stays
    expect(normaliseInput("ម៉ឺនុយ menu")).toBe("ម៉ឺនុយ menu");
  });

  it("is idempotent", () => {
    for (const text of ["  EXIT! ", "ចាក ចេញ។", "០ ១", "ask\u200bfor help"]) {
      expect(normaliseInput(normaliseInput(text))).toBe(normaliseInput(text));
    }
  });
});
