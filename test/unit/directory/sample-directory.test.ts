import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDirectoryFile } from "../../../config/load-directory.ts";
import { projectRoot } from "../../../config/project-root.ts";
import {
  CATEGORIES,
  PROVINCES,
  emergencyServices,
  isOpenAt,
  minutesOfClockTime,
  searchServices,
  type Service,
} from "../../../core/directory/index.ts";
import { SAT, TUE, pp } from "./fixtures.ts";

const SAMPLE_FILE = join(projectRoot, "config", "directory.sample.yaml");
const SAMPLE_EN = "SAMPLE — not a real service; replace before use";
const SAMPLE_KM = "គំរូ — មិនមែនជាសេវាពិតទេ។ សូមជំនួសមុនពេលប្រើ។";
const KHMER = /[\u1780-\u17FF]/;
/** The national emergency numbers, which are real; every other number in the sample must be a placeholder. */
const REAL_NUMBERS = ["117", "119"];
const PLACEHOLDER = /^012 000 0\d\d$/;

describe("the sample directory", () => {
  const services: Service[] = loadDirectoryFile(SAMPLE_FILE);

  it("loads and validates, with 10–12 services", () => {
    expect(services.length).toBeGreaterThanOrEqual(10);
    expect(services.length).toBeLessThanOrEqual(12);
  });

  it("says at the top, and in every service's description in both languages, that it is a sample", () => {
    const firstLine = readFileSync(SAMPLE_FILE, "utf8").split("\n")[0];
    expect(firstLine).toMatch(/^# SAMPLE DIRECTORY — NOT REAL SERVICES/);
    for (const { id, description } of services) {
      expect(description.en, id).toContain(SAMPLE_EN);
      expect(description.km, id).toContain(SAMPLE_KM);
    }
  });

  it("covers every category and every province", () => {
    const categories = new Set(services.flatMap((service) => service.categories));
    expect([...CATEGORIES].filter((category) => !categories.has(category))).toEqual([]);
    const areas = new Set(services.flatMap((service) => service.provinces));
    expect(PROVINCES.filter((province) => province !== "other" && !areas.has(province))).toEqual([]);
    expect(areas.has("nationwide")).toBe(true);
  });

  it("writes every text in Khmer and in English", () => {
    for (const { id, name, description, address } of services) {
      for (const text of [name, description, address]) {
        expect(text.km, id).toMatch(KHMER);
        expect(text.en, id).not.toMatch(KHMER);
      }
    }
  });

  it("uses placeholder phone numbers except the real national emergency numbers", () => {
    for (const { id, phone } of services) {
      if (!REAL_NUMBERS.includes(phone)) expect(phone, id).toMatch(PLACEHOLDER);
    }
    expect(new Set(services.map((service) => service.phone)).size).toBe(services.length);
  });

  it("has a 24/7 hotline, the police on 117 as an emergency service, and a shelter open across midnight", () => {
    expect(services.some((s) => s.categories.includes("hotline") && s.hours.always === true)).toBe(true);
    const police = services.find((s) => s.phone === "117");
    expect(police?.categories).toContain("police");
    expect(police?.emergency).toBe(true);
    const crossesMidnight = (service: Service): boolean =>
      Object.values(service.hours.weekly).some((intervals) =>
        intervals.some(({ from, to }) => (minutesOfClockTime(to) ?? 0) <= (minutesOfClockTime(from) ?? 0)),
      );
    const shelter = services.find((s) => s.categories.includes("shelter") && crossesMidnight(s));
    expect(shelter).toBeDefined();
    if (shelter !== undefined) expect(isOpenAt(shelter.hours, pp(`${SAT}T02:00`))).toBe(true);
  });

  it("answers a survivor in Phnom Penh at night with the open services first", () => {
    const found = searchServices(services, { province: "phnom_penh", at: pp(`${TUE}T23:00`) });
    const firstClosed = found.findIndex((match) => !match.openNow);
    expect(firstClosed).toBeGreaterThan(0);
    expect(found.slice(firstClosed).every((match) => !match.openNow)).toBe(true);
    expect(emergencyServices(services, pp(`${TUE}T23:00`)).every((match) => match.openNow)).toBe(true);
  });
});
