import { describe, expect, it } from "vitest";
import {
  parseOrganisation,
  parseOrganisations,
  validateOrganisation,
  validateOrganisations,
  type Organisation,
  type OrganisationProblem,
} from "../../../core/organisations/index.ts";
import { organisation } from "./fixtures.ts";

type Input = Record<string, unknown>;

/** A valid organisation as it would come from YAML: plain data, with the defaults left out. */
function input(change: (data: Input) => void = () => {}): Input {
  const {
    queueRoomId: _room,
    alwaysOpen: _always,
    claimSlaMs: _claim,
    replySlaMs: _reply,
    routingMode: _mode,
    childProtection: _child,
    staffLanguage: _staffLanguage,
    ...data
  } = structuredClone(organisation()) as unknown as Input;
  delete (data.hours as Input).timeZone;
  change(data);
  return data;
}

function parsed(data: Input): Organisation {
  const result = parseOrganisation(data);
  if (!result.ok) throw new Error(`invalid: ${JSON.stringify(result.problems)}`);
  return result.organisation;
}

describe("validateOrganisation", () => {
  it("accepts a valid organisation and fills in the defaults", () => {
    expect(validateOrganisation(input())).toEqual([]);
    const org = parsed(input());
    expect(org).toEqual(organisation({ queueRoomId: null }));
    expect(org.claimSlaMs).toBe(300_000);
    expect(org.replySlaMs).toBe(600_000);
    expect(org.routingMode).toBe("relay");
    expect(org.childProtection).toBe(false);
    expect(org.staffLanguage).toBe("en");
    expect(org.alwaysOpen).toBe(false);
    expect(org.hours.timeZone).toBe("Asia/Phnom_Penh");
  });

  it("takes Khmer as the language its staff read", () => {
    expect(parsed(input((data) => (data.staffLanguage = "km"))).staffLanguage).toBe("km");
  });

  it("reads back what it returns: parsing a parsed organisation changes nothing", () => {
    const org = parsed(input((data) => (data.queueRoomId = "!abc:ngo-a.example.org")));
    expect(parsed(structuredClone(org) as unknown as Input)).toEqual(org);
  });

  it("trims texts and accepts a room ID without a server part (room version 12)", () => {
    const org = parsed(
      input((data) => {
        data.shortName = { km: "  អង្គការ ក  ", en: " NGO A " };
        data.queueRoomId = "!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM";
      }),
    );
    expect(org.shortName).toEqual({ km: "អង្គការ ក", en: "NGO A" });
    expect(org.queueRoomId).toBe("!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM");
  });

  it("an always-open organisation needs no hours; hours that say always make it always open", () => {
    const flagged = parsed(
      input((data) => {
        delete data.hours;
        data.alwaysOpen = true;
      }),
    );
    expect(flagged.alwaysOpen).toBe(true);
    expect(flagged.hours).toEqual({ timeZone: "Asia/Phnom_Penh", always: true, weekly: {} });
    const byHours = parsed(input((data) => (data.hours = { always: true })));
    expect(byHours.alwaysOpen).toBe(true);
  });

  it("compares responders' servers with the homeserver case-insensitively, as DNS does", () => {
    expect(validateOrganisation(input((data) => (data.homeserver = "NGO-A.example.org")))).toEqual([]);
  });

  it("accepts the bounds of each SLA and an organisation with no responders yet", () => {
    expect(
      validateOrganisation(input((data) => Object.assign(data, { claimSlaMs: 5_000, replySlaMs: 86_400_000 }))),
    ).toEqual([]);
    expect(
      validateOrganisation(input((data) => Object.assign(data, { claimSlaMs: 3_600_000, replySlaMs: 5_000 }))),
    ).toEqual([]);
    expect(validateOrganisation(input((data) => (data.responders = [])))).toEqual([]);
  });

  const cases: readonly [string, (data: Input) => void, OrganisationProblem][] = [
    [
      "an id with capitals",
      (data) => (data.id = "NGO-A"),
      { path: "id", message: 'expected an id of lowercase letters, digits, - and _ (at most 64), found "NGO-A"' },
    ],
    [
      "a missing Khmer short name",
      (data) => (data.shortName = { en: "NGO A" }),
      { path: "shortName.km", message: "missing (expected a text)" },
    ],
    [
      "an empty English name",
      (data) => (data.name = { km: "អង្គការ", en: "   " }),
      { path: "name.en", message: 'expected a non-empty text, found ""' },
    ],
    [
      "a homeserver that is a URL",
      (data) => (data.homeserver = "https://ngo-a.example.org"),
      {
        path: "homeserver",
        message: 'expected a server name such as ngo-a.example.org, found "https://ngo-a.example.org"',
      },
    ],
    [
      "a responder that is not a Matrix ID",
      (data) => (data.responders = ["@responder1:ngo-a.example.org", "sokha"]),
      { path: "responders[1]", message: 'expected a Matrix ID such as @counsellor:ngo-a.example.org, found "sokha"' },
    ],
    [
      "a responder on another organisation's homeserver",
      (data) => (data.responders = ["@responder1:ngo-a.example.org", "@dara:ngo-b.example.org"]),
      {
        path: "responders[1]",
        message:
          "@dara:ngo-b.example.org is on ngo-b.example.org, not on the organisation's own homeserver ngo-a.example.org",
      },
    ],
    [
      "a responder listed twice",
      (data) => (data.responders = ["@responder1:ngo-a.example.org", "@responder1:ngo-a.example.org"]),
      { path: "responders[1]", message: '"@responder1:ngo-a.example.org" is listed twice' },
    ],
    [
      "a queue room that is an alias",
      (data) => (data.queueRoomId = "#queue:ngo-a.example.org"),
      {
        path: "queueRoomId",
        message: 'expected a room ID such as !abc:ngo-a.example.org, found "#queue:ngo-a.example.org"',
      },
    ],
    [
      "no categories",
      (data) => (data.categories = []),
      { path: "categories", message: "expected a list of categories, found none" },
    ],
    [
      "the province other",
      (data) => (data.provinces = ["other"]),
      {
        path: "provinces[0]",
        message:
          'an organisation cannot list "other" (survivors elsewhere go to the nationwide organisations); ' +
          'use "nationwide" or a listed province',
      },
    ],
    [
      "an unknown language",
      (data) => (data.languages = ["fr"]),
      { path: "languages[0]", message: 'unknown language "fr" (expected one of km, en)' },
    ],
    [
      "neither hours nor alwaysOpen",
      (data) => delete data.hours,
      {
        path: "hours",
        message: "missing (expected opening hours, or alwaysOpen: true for an organisation staffed 24/7)",
      },
    ],
    [
      "alwaysOpen with weekly hours",
      (data) => (data.alwaysOpen = true),
      {
        path: "hours",
        message: "alwaysOpen is true, so leave hours out (or give always: true) rather than weekly times",
      },
    ],
    [
      "alwaysOpen false with hours that say always",
      (data) => Object.assign(data, { alwaysOpen: false, hours: { always: true } }),
      {
        path: "alwaysOpen",
        message: "false, but hours say always: true (set alwaysOpen: true for an organisation staffed 24/7)",
      },
    ],
    [
      "hours that are never open",
      (data) => (data.hours = { weekly: {} }),
      {
        path: "hours.weekly",
        message: "never open: give weekly intervals, or always: true for a service open around the clock",
      },
    ],
    [
      "no capacity",
      (data) => delete data.capacity,
      { path: "capacity", message: "missing (expected a mapping with maxActiveCases and maxActivePerResponder)" },
    ],
    [
      "a capacity of zero",
      (data) => (data.capacity = { maxActiveCases: 0, maxActivePerResponder: 1 }),
      { path: "capacity.maxActiveCases", message: "expected a whole number of cases from 1 to 10000, found 0" },
    ],
    [
      "a fractional per-responder limit",
      (data) => (data.capacity = { maxActiveCases: 10, maxActivePerResponder: 2.5 }),
      {
        path: "capacity.maxActivePerResponder",
        message: "expected a whole number of cases from 1 to 1000, found 2.5",
      },
    ],
    [
      "a per-responder limit above the organisation's",
      (data) => (data.capacity = { maxActiveCases: 3, maxActivePerResponder: 4 }),
      {
        path: "capacity.maxActivePerResponder",
        message:
          "4 is more than the organisation's maxActiveCases (3): one responder cannot hold more cases than the whole organisation",
      },
    ],
    [
      "a claim SLA given in minutes by mistake",
      (data) => (data.claimSlaMs = 5),
      {
        path: "claimSlaMs",
        message: "expected a whole number of milliseconds from 5000 (5 s) to 3600000 (1 h), found 5",
      },
    ],
    [
      "a claim SLA of two hours",
      (data) => (data.claimSlaMs = 7_200_000),
      {
        path: "claimSlaMs",
        message: "expected a whole number of milliseconds from 5000 (5 s) to 3600000 (1 h), found 7200000",
      },
    ],
    [
      "a reply SLA written as text",
      (data) => (data.replySlaMs = "10m"),
      {
        path: "replySlaMs",
        message: 'expected a whole number of milliseconds from 5000 (5 s) to 86400000 (24 h), found "10m"',
      },
    ],
    [
      "a reply SLA of two days",
      (data) => (data.replySlaMs = 172_800_000),
      {
        path: "replySlaMs",
        message: "expected a whole number of milliseconds from 5000 (5 s) to 86400000 (24 h), found 172800000",
      },
    ],
    [
      "an unknown routing mode",
      (data) => (data.routingMode = "bridge"),
      { path: "routingMode", message: 'unknown routing mode "bridge" (expected relay or direct)' },
    ],
    [
      "childProtection as text",
      (data) => (data.childProtection = "yes"),
      { path: "childProtection", message: 'expected true or false, found "yes"' },
    ],
    [
      "a staff language Haven has no words in",
      (data) => (data.staffLanguage = "fr"),
      { path: "staffLanguage", message: 'unknown staff language "fr" (expected km or en)' },
    ],
    ["an unknown key", (data) => (data.phone = "012 000 001"), { path: "phone", message: "unknown key" }],
  ];

  it.each(cases)("refuses %s, naming the path", (_name, change, problem) => {
    expect(validateOrganisation(input(change))).toEqual([problem]);
  });

  it("lists every problem at once", () => {
    const problems = validateOrganisation(
      input((data) => {
        data.id = "";
        data.languages = ["fr"];
        data.routingMode = "bridge";
      }),
    );
    expect(problems.map((problem) => problem.path)).toEqual(["id", "languages[0]", "routingMode"]);
  });

  it("refuses what is not a mapping", () => {
    expect(validateOrganisation("ngo-a")).toEqual([{ path: "", message: 'expected a mapping, found "ngo-a"' }]);
  });
});

describe("validateOrganisations", () => {
  const a = (): Input => input();
  const b = (): Input =>
    input((data) => {
      data.id = "ngo-b";
      data.homeserver = "ngo-b.example.org";
      data.responders = ["@responder1:ngo-b.example.org"];
    });

  it("accepts a list of valid organisations in order", () => {
    const result = parseOrganisations([a(), b()]);
    expect(result.ok && result.organisations.map((org) => org.id)).toEqual(["ngo-a", "ngo-b"]);
  });

  it("refuses an id used twice and a queue room given to two organisations", () => {
    const room = "!queue:hub.example.org";
    const first = a();
    first.queueRoomId = room;
    const second = b();
    second.queueRoomId = room;
    const third = a();
    expect(validateOrganisations([first, second, third])).toEqual([
      { path: "[1].queueRoomId", message: `duplicate queue room "${room}" (first used at [0])` },
      { path: "[2].id", message: 'duplicate id "ngo-a" (first used at [0])' },
    ]);
  });

  it("prefixes each problem with its index, in document order", () => {
    const bad = b();
    bad.languages = [];
    const worse = a();
    worse.id = "ngo-c";
    worse.responders = ["@x:elsewhere.org"];
    expect(validateOrganisations([a(), bad, worse])).toEqual([
      { path: "[1].languages", message: "expected a list of languages (km, en), found none" },
      {
        path: "[2].responders[0]",
        message: "@x:elsewhere.org is on elsewhere.org, not on the organisation's own homeserver ngo-a.example.org",
      },
    ]);
  });

  it("refuses what is not a list", () => {
    expect(validateOrganisations({ id: "ngo-a" })).toEqual([
      { path: "", message: "expected a list of organisations, found a mapping" },
    ]);
  });
});
