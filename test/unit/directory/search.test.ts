import { describe, expect, it } from "vitest";
import { DEFAULT_TIME_ZONE, emergencyServices, searchServices, type Service } from "../../../core/directory/index.ts";
import { SAT, TUE, pp, service, weekly } from "./fixtures.ts";

const always = { timeZone: DEFAULT_TIME_ZONE, always: true, weekly: {} };
const evenings = { timeZone: DEFAULT_TIME_ZONE, weekly: weekly(["tue"], { from: "18:00", to: "22:00" }) };

const ids = (matches: readonly { service: Service }[]): string[] => matches.map((match) => match.service.id);

describe("searchServices", () => {
  const legalPhnomPenh = service({ id: "legal-pp", name: { km: "ក", en: "Alpha Legal" } });
  const legalKandal = service({ id: "legal-kandal", provinces: ["kandal"], name: { km: "ខ", en: "Beta Legal" } });
  const legalNationwide = service({
    id: "legal-national",
    provinces: ["nationwide"],
    name: { km: "គ", en: "Gamma Legal" },
  });
  const shelterPhnomPenh = service({
    id: "shelter-pp",
    categories: ["shelter"],
    name: { km: "ឃ", en: "Delta Shelter" },
  });
  const all = [legalPhnomPenh, legalKandal, legalNationwide, shelterPhnomPenh];
  const tuesdayMorning = pp(`${TUE}T10:00`);

  it("filters by category", () => {
    expect(ids(searchServices(all, { category: "shelter", at: tuesdayMorning }))).toEqual(["shelter-pp"]);
    expect(ids(searchServices(all, { category: "trafficking", at: tuesdayMorning }))).toEqual([]);
  });

  it("filters by province, and nationwide services match every province", () => {
    expect(ids(searchServices(all, { category: "legal_aid", province: "kandal", at: tuesdayMorning }))).toEqual([
      "legal-kandal",
      "legal-national",
    ]);
    expect(ids(searchServices(all, { category: "legal_aid", province: "siem_reap", at: tuesdayMorning }))).toEqual([
      "legal-national",
    ]);
  });

  it('finds only the nationwide services for province "other"', () => {
    expect(ids(searchServices(all, { province: "other", at: tuesdayMorning }))).toEqual(["legal-national"]);
  });

  it("returns everything without filters, sorted by English name when all are equally open", () => {
    expect(ids(searchServices(all, { at: tuesdayMorning }))).toEqual([
      "legal-pp",
      "legal-kandal",
      "shelter-pp",
      "legal-national",
    ]);
  });

  it("puts open services first, then emergency lines and hotlines, then sorts by name, and says which are open", () => {
    const services = [
      service({ id: "a-closed", name: { km: "ក", en: "A closed office" }, hours: evenings }),
      service({ id: "b-open", name: { km: "ខ", en: "B open office" } }),
      service({ id: "z-hotline", name: { km: "គ", en: "Z hotline" }, categories: ["hotline"], hours: always }),
      service({ id: "y-emergency", name: { km: "ឃ", en: "Y emergency" }, emergency: true, hours: always }),
      service({ id: "c-closed-emergency", name: { km: "ង", en: "C closed" }, emergency: true, hours: evenings }),
    ];
    const found = searchServices(services, { at: tuesdayMorning });
    expect(found.map((match) => [match.service.id, match.openNow])).toEqual([
      ["y-emergency", true],
      ["z-hotline", true],
      ["b-open", true],
      ["c-closed-emergency", false],
      ["a-closed", false],
    ]);
    // The same order whatever order the services come in.
    expect(ids(searchServices([...services].reverse(), { at: tuesdayMorning }))).toEqual(ids(found));
  });

  it("breaks ties between equal names by id, so that the order is always the same", () => {
    const twins = [service({ id: "twin-b" }), service({ id: "twin-a" })].map((twin) => ({
      ...twin,
      name: { km: "ក", en: "Same" },
    }));
    expect(ids(searchServices(twins, { at: tuesdayMorning }))).toEqual(["twin-a", "twin-b"]);
    expect(ids(searchServices([...twins].reverse(), { at: tuesdayMorning }))).toEqual(["twin-a", "twin-b"]);
  });

  it("does not change the list it is given", () => {
    const services = [service({ id: "b" }), service({ id: "a" })];
    searchServices(services, { at: tuesdayMorning });
    expect(services.map((unchanged) => unchanged.id)).toEqual(["b", "a"]);
  });
});

describe("emergencyServices", () => {
  it("returns only emergency services, open ones first", () => {
    const services = [
      service({ id: "office" }),
      service({ id: "evening-line", name: { km: "ក", en: "Evening line" }, emergency: true, hours: evenings }),
      service({ id: "police", name: { km: "ខ", en: "Police 117" }, emergency: true, hours: always }),
    ];
    const saturday = emergencyServices(services, pp(`${SAT}T10:00`));
    expect(saturday.map((match) => [match.service.id, match.openNow])).toEqual([
      ["police", true],
      ["evening-line", false],
    ]);
    const tuesdayEvening = emergencyServices(services, pp(`${TUE}T19:00`));
    expect(ids(tuesdayEvening)).toEqual(["evening-line", "police"]);
  });
});
