import { describe, expect, it } from "vitest";
import { isOrganisationOpenAt, nextOpeningAfter } from "../../../core/organisations/index.ts";
import { hotline, organisation } from "./fixtures.ts";

/** A wall-clock time in Phnom Penh (UTC+7, no daylight saving). 2026-01-05 is a Monday. */
function phnomPenh(isoLocal: string): Date {
  return new Date(`${isoLocal}+07:00`);
}

describe("isOrganisationOpenAt", () => {
  it("reads the weekly hours on the organisation's own wall clock", () => {
    const office = organisation();
    expect(isOrganisationOpenAt(office, phnomPenh("2026-01-05T08:00"))).toBe(true);
    expect(isOrganisationOpenAt(office, phnomPenh("2026-01-05T16:59"))).toBe(true);
    expect(isOrganisationOpenAt(office, phnomPenh("2026-01-05T17:00"))).toBe(false);
    expect(isOrganisationOpenAt(office, phnomPenh("2026-01-10T10:00"))).toBe(false);
  });

  it("an always-open organisation is open at any hour, whatever its hours say", () => {
    expect(isOrganisationOpenAt(hotline(), phnomPenh("2026-01-11T03:00"))).toBe(true);
    const flagged = organisation({ alwaysOpen: true });
    expect(isOrganisationOpenAt(flagged, phnomPenh("2026-01-11T03:00"))).toBe(true);
  });
});

describe("nextOpeningAfter", () => {
  const office = organisation();

  it.each([
    ["before opening the same morning", "2026-01-05T07:59", { weekday: "mon", time: "08:00" }],
    ["after closing on a weekday", "2026-01-06T22:00", { weekday: "wed", time: "08:00" }],
    ["on Friday evening", "2026-01-09T18:00", { weekday: "mon", time: "08:00" }],
    ["on Sunday night", "2026-01-11T03:00", { weekday: "mon", time: "08:00" }],
  ])("%s", (_name, local, opening) => {
    expect(nextOpeningAfter(office, phnomPenh(local))).toEqual(opening);
  });

  it("finds the same weekday next week when the only interval has just passed", () => {
    const monday = organisation({
      hours: { timeZone: "Asia/Phnom_Penh", weekly: { mon: [{ from: "08:00", to: "08:30" }] } },
    });
    expect(nextOpeningAfter(monday, phnomPenh("2026-01-05T09:00"))).toEqual({ weekday: "mon", time: "08:00" });
  });

  it("follows night intervals that end the next morning", () => {
    const nights = organisation({
      hours: { timeZone: "Asia/Phnom_Penh", weekly: { fri: [{ from: "22:00", to: "06:00" }] } },
    });
    expect(isOrganisationOpenAt(nights, phnomPenh("2026-01-10T05:00"))).toBe(true);
    expect(nextOpeningAfter(nights, phnomPenh("2026-01-10T07:00"))).toEqual({ weekday: "fri", time: "22:00" });
  });

  it("uses the organisation's time zone", () => {
    const london = organisation({
      hours: { timeZone: "Europe/London", weekly: { mon: [{ from: "09:00", to: "17:00" }] } },
    });
    // Monday 14:00 in Phnom Penh is Monday 07:00 in London (winter).
    expect(isOrganisationOpenAt(london, phnomPenh("2026-01-05T14:00"))).toBe(false);
    expect(nextOpeningAfter(london, phnomPenh("2026-01-05T14:00"))).toEqual({ weekday: "mon", time: "09:00" });
    expect(isOrganisationOpenAt(london, phnomPenh("2026-01-05T16:00"))).toBe(true);
  });

  it("is undefined for an organisation open around the clock", () => {
    expect(nextOpeningAfter(hotline(), phnomPenh("2026-01-05T03:00"))).toBeUndefined();
  });
});
