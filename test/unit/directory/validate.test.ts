import { describe, expect, it } from "vitest";
import {
  parseService,
  parseServices,
  validateService,
  validateServices,
  type DirectoryProblem,
} from "../../../core/directory/index.ts";
import { service } from "./fixtures.ts";

type Input = Record<string, unknown>;

/** A valid service as it would come from YAML: plain data, with the defaults left out. */
function input(change: (data: Input) => void = () => {}): Input {
  const { emergency: _emergency, ...data } = structuredClone(service()) as unknown as Input;
  delete (data.hours as Input).timeZone;
  change(data);
  return data;
}

const hoursOf = (data: Input): Input => data.hours as Input;
const weeklyOf = (data: Input): Input => hoursOf(data).weekly as Input;

describe("validateService", () => {
  it("accepts a valid service and fills in the defaults", () => {
    expect(validateService(input())).toEqual([]);
    const parsed = parseService(input());
    expect(parsed.ok && parsed.service.emergency).toBe(false);
    expect(parsed.ok && parsed.service.hours.timeZone).toBe("Asia/Phnom_Penh");
  });

  it("trims texts and spells the time zone canonically", () => {
    const parsed = parseService(
      input((data) => {
        data.name = { km: "  សេវា  ", en: " Service " };
        hoursOf(data).timeZone = "europe/london";
      }),
    );
    expect(parsed.ok && parsed.service.name).toEqual({ km: "សេវា", en: "Service" });
    expect(parsed.ok && parsed.service.hours.timeZone).toBe("Europe/London");
  });

  it("accepts a service open around the clock with no weekly hours", () => {
    expect(validateService(input((data) => (data.hours = { always: true })))).toEqual([]);
  });

  const cases: readonly [string, (data: Input) => void, DirectoryProblem][] = [
    [
      "a time past 23:59",
      (data) => (weeklyOf(data).mon = [{ from: "25:00", to: "17:00" }]),
      {
        path: "hours.weekly.mon[0].from",
        message: 'expected a time "HH:MM" from 00:00 to 23:59 (midnight is "00:00"), found "25:00"',
      },
    ],
    [
      "a time without a leading zero",
      (data) => (weeklyOf(data).tue = [{ from: "08:00", to: "9:00" }]),
      {
        path: "hours.weekly.tue[0].to",
        message: 'expected a time "HH:MM" from 00:00 to 23:59 (midnight is "00:00"), found "9:00"',
      },
    ],
    [
      "a time YAML read as a number",
      (data) => (weeklyOf(data).wed = [{ from: 480, to: "17:00" }]),
      {
        path: "hours.weekly.wed[0].from",
        message: 'expected a time "HH:MM" from 00:00 to 23:59 (midnight is "00:00"), found 480',
      },
    ],
    [
      "an unknown category",
      (data) => (data.categories = ["legal_aid", "abuse"]),
      {
        path: "categories[1]",
        message:
          'unknown category "abuse" (expected one of domestic_violence, sexual_violence, workplace_harassment, ' +
          "online_abuse, trafficking, legal_aid, health, shelter, psychosocial, police, hotline, other)",
      },
    ],
    [
      "no category",
      (data) => (data.categories = []),
      { path: "categories", message: "expected a list of categories, found none" },
    ],
    [
      "a category listed twice",
      (data) => (data.categories = ["health", "health"]),
      { path: "categories[1]", message: '"health" is listed twice' },
    ],
    [
      "an unknown province",
      (data) => (data.provinces = ["kampot"]),
      {
        path: "provinces[0]",
        message:
          'unknown province "kampot" (expected one of phnom_penh, kandal, kampong_speu, takeo, prey_veng, ' +
          "kampong_cham, siem_reap, battambang, nationwide)",
      },
    ],
    [
      'the province "other", which no search would find',
      (data) => (data.provinces = ["other"]),
      {
        path: "provinces[0]",
        message:
          'a service cannot list "other" (survivors elsewhere are shown the nationwide services); ' +
          'use "nationwide" or a listed province',
      },
    ],
    [
      "an unknown language",
      (data) => (data.languages = ["fr"]),
      { path: "languages[0]", message: 'unknown language "fr" (expected one of km, en)' },
    ],
    [
      "an empty Khmer text",
      (data) => (data.name = { km: "", en: "Service" }),
      { path: "name.km", message: 'expected a non-empty text, found ""' },
    ],
    [
      "an English text of spaces only",
      (data) => (data.description = { km: "ការពិពណ៌នា", en: "   " }),
      { path: "description.en", message: 'expected a non-empty text, found ""' },
    ],
    [
      "a missing translation",
      (data) => (data.address = { km: "ភ្នំពេញ" }),
      { path: "address.en", message: "missing (expected a text)" },
    ],
    [
      "an unknown time zone",
      (data) => (hoursOf(data).timeZone = "Asia/Phnom_Pen"),
      {
        path: "hours.timeZone",
        message: 'unknown time zone "Asia/Phnom_Pen" (expected an IANA name such as Asia/Phnom_Penh)',
      },
    ],
    [
      "a misspelt day",
      (data) => (weeklyOf(data).mom = [{ from: "08:00", to: "17:00" }]),
      { path: "hours.weekly.mom", message: "unknown day (expected one of mon, tue, wed, thu, fri, sat, sun)" },
    ],
    [
      "hours that never open",
      (data) => (data.hours = { weekly: { mon: [] } }),
      {
        path: "hours.weekly",
        message: "never open: give weekly intervals, or always: true for a service open around the clock",
      },
    ],
    [
      "an id with capitals and spaces",
      (data) => (data.id = "Legal Aid"),
      { path: "id", message: 'expected an id of lowercase letters, digits, - and _ (at most 64), found "Legal Aid"' },
    ],
    [
      "a phone number with letters",
      (data) => (data.phone = "call us"),
      { path: "phone", message: 'expected a phone number of digits, spaces and - (e.g. 012 000 001), found "call us"' },
    ],
    [
      "emergency that is not a boolean",
      (data) => (data.emergency = "yes"),
      { path: "emergency", message: 'expected true or false, found "yes"' },
    ],
    ["a misspelt key", (data) => (data.emergancy = true), { path: "emergancy", message: "unknown key" }],
    [
      "missing hours",
      (data) => delete data.hours,
      { path: "hours", message: "missing (expected opening hours (a mapping with weekly, or always: true))" },
    ],
  ];

  it.each(cases)("reports %s", (_name, change, problem) => {
    expect(validateService(input(change))).toEqual([problem]);
    expect(parseService(input(change))).toEqual({ ok: false, problems: [problem] });
  });

  it("reports every problem at once, in document order", () => {
    const problems = validateService(
      input((data) => {
        data.id = "";
        data.categories = ["nope"];
        weeklyOf(data).fri = [{ from: "08:00", to: "24:00" }];
      }),
    );
    expect(problems.map((problem) => problem.path)).toEqual(["id", "categories[0]", "hours.weekly.fri[0].to"]);
  });

  it("describes a value that is not a mapping", () => {
    expect(validateService(null)).toEqual([{ path: "", message: "expected a mapping, found null" }]);
    expect(validateService(["a"])).toEqual([{ path: "", message: "expected a mapping, found a list" }]);
  });
});

describe("validateServices", () => {
  it("accepts distinct valid services", () => {
    const services = [input((data) => (data.id = "a")), input((data) => (data.id = "b"))];
    expect(validateServices(services)).toEqual([]);
    const parsed = parseServices(services);
    expect(parsed.ok && parsed.services.map((s) => s.id)).toEqual(["a", "b"]);
  });

  it("reports a duplicate id where it is reused, and prefixes paths with the index", () => {
    const services = [
      input((data) => (data.id = "a")),
      input((data) => (data.id = "b")),
      input((data) => {
        data.id = "a";
        data.phone = "";
      }),
    ];
    expect(validateServices(services)).toEqual([
      { path: "[2].phone", message: 'expected a phone number of digits, spaces and - (e.g. 012 000 001), found ""' },
      { path: "[2].id", message: 'duplicate id "a" (first used at [0])' },
    ]);
  });

  it("wants a list", () => {
    expect(validateServices({ services: [] })).toEqual([
      { path: "", message: "expected a list of services, found a mapping" },
    ]);
    expect(validateServices([])).toEqual([]);
  });
});
