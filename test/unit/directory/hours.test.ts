import { describe, expect, it } from "vitest";
import {
  DEFAULT_TIME_ZONE,
  formatHours,
  isOpenAt,
  localTimeIn,
  type OpeningHours,
} from "../../../core/directory/index.ts";
import { FRI, MON, NEXT_MON, SAT, SUN, TUE, officeHours, pp, weekly } from "./fixtures.ts";

const hours = (week: OpeningHours["weekly"], timeZone = DEFAULT_TIME_ZONE): OpeningHours => ({
  timeZone,
  weekly: week,
});

describe("isOpenAt", () => {
  it("is open inside the day's interval, from its first minute to before its last", () => {
    const office = officeHours();
    expect(isOpenAt(office, pp(`${TUE}T07:59`))).toBe(false);
    expect(isOpenAt(office, pp(`${TUE}T08:00`))).toBe(true);
    expect(isOpenAt(office, pp(`${TUE}T12:30`))).toBe(true);
    expect(isOpenAt(office, pp(`${TUE}T16:59`))).toBe(true);
    expect(isOpenAt(office, pp(`${TUE}T17:00`))).toBe(false);
  });

  it("is closed on a day without intervals", () => {
    expect(isOpenAt(officeHours(), pp(`${SAT}T10:00`))).toBe(false);
    expect(isOpenAt(officeHours(), pp(`${SUN}T10:00`))).toBe(false);
  });

  it("honours several intervals in a day (a lunch break)", () => {
    const split = hours(weekly(["mon"], { from: "08:00", to: "12:00" }, { from: "14:00", to: "17:00" }));
    expect(isOpenAt(split, pp(`${MON}T11:59`))).toBe(true);
    expect(isOpenAt(split, pp(`${MON}T13:00`))).toBe(false);
    expect(isOpenAt(split, pp(`${MON}T14:00`))).toBe(true);
  });

  describe("an interval that crosses midnight (fri 22:00–06:00)", () => {
    const night = hours({ fri: [{ from: "22:00", to: "06:00" }] });

    it("is open in the evening part", () => {
      expect(isOpenAt(night, pp(`${FRI}T21:59`))).toBe(false);
      expect(isOpenAt(night, pp(`${FRI}T22:00`))).toBe(true);
      expect(isOpenAt(night, pp(`${FRI}T23:59`))).toBe(true);
    });

    it("is open after midnight on the next day, which lists no hours of its own", () => {
      expect(isOpenAt(night, pp(`${SAT}T00:00`))).toBe(true);
      expect(isOpenAt(night, pp(`${SAT}T05:59`))).toBe(true);
      expect(isOpenAt(night, pp(`${SAT}T06:00`))).toBe(false);
    });

    it("does not open before the evening part of the same day", () => {
      expect(isOpenAt(night, pp(`${FRI}T03:00`))).toBe(false);
    });
  });

  it("wraps from Sunday night into Monday morning", () => {
    const sundayNight = hours({ sun: [{ from: "20:00", to: "07:00" }] });
    expect(isOpenAt(sundayNight, pp(`${SUN}T23:00`))).toBe(true);
    expect(isOpenAt(sundayNight, pp(`${NEXT_MON}T06:59`))).toBe(true);
    expect(isOpenAt(sundayNight, pp(`${NEXT_MON}T07:00`))).toBe(false);
    expect(isOpenAt(sundayNight, pp(`${MON}T03:00`))).toBe(true);
  });

  it("handles intervals at 00:00: starting at midnight, ending at midnight, and 24 hours", () => {
    const fromMidnight = hours({ mon: [{ from: "00:00", to: "06:00" }] });
    expect(isOpenAt(fromMidnight, pp(`${SUN}T23:59`))).toBe(false);
    expect(isOpenAt(fromMidnight, pp(`${NEXT_MON}T00:00`))).toBe(true);
    expect(isOpenAt(fromMidnight, pp(`${NEXT_MON}T06:00`))).toBe(false);

    const toMidnight = hours({ sat: [{ from: "18:00", to: "00:00" }] });
    expect(isOpenAt(toMidnight, pp(`${SAT}T23:59`))).toBe(true);
    expect(isOpenAt(toMidnight, pp(`${SUN}T00:00`))).toBe(false);

    const wholeDay = hours({ tue: [{ from: "00:00", to: "00:00" }] });
    expect(isOpenAt(wholeDay, pp(`${MON}T23:59`))).toBe(false);
    expect(isOpenAt(wholeDay, pp(`${TUE}T00:00`))).toBe(true);
    expect(isOpenAt(wholeDay, pp(`${TUE}T23:59`))).toBe(true);
    expect(isOpenAt(wholeDay, pp("2026-12-02T00:00"))).toBe(false);

    const dayAround = hours({ tue: [{ from: "08:00", to: "08:00" }] });
    expect(isOpenAt(dayAround, pp("2026-12-02T07:59"))).toBe(true);
    expect(isOpenAt(dayAround, pp("2026-12-02T08:00"))).toBe(false);
  });

  it("is always open with always: true, whatever the weekly hours say", () => {
    const always: OpeningHours = { timeZone: DEFAULT_TIME_ZONE, always: true, weekly: {} };
    for (const local of [`${SAT}T03:00`, `${SUN}T23:59`, `${TUE}T12:00`])
      expect(isOpenAt(always, pp(local))).toBe(true);
    expect(isOpenAt({ ...officeHours(), always: false }, pp(`${SAT}T10:00`))).toBe(false);
  });

  describe("time zones", () => {
    it("reads the hours on the service's own clock: one instant, open in Phnom Penh, closed in London", () => {
      const instant = new Date(`${TUE}T03:00:00Z`); // 10:00 in Phnom Penh, 03:00 in London
      expect(isOpenAt(officeHours("Asia/Phnom_Penh"), instant)).toBe(true);
      expect(isOpenAt(officeHours("Europe/London"), instant)).toBe(false);
      const evening = new Date(`${TUE}T12:00:00Z`); // 19:00 in Phnom Penh, 12:00 in London
      expect(isOpenAt(officeHours("Asia/Phnom_Penh"), evening)).toBe(false);
      expect(isOpenAt(officeHours("Europe/London"), evening)).toBe(true);
    });

    it("takes the weekday from the service's zone, not from UTC", () => {
      const instant = new Date(`${SUN}T23:30:00Z`); // Monday 06:30 in Phnom Penh, still Sunday in UTC
      expect(localTimeIn("Asia/Phnom_Penh", instant)).toEqual({ weekday: "mon", minutes: 6 * 60 + 30 });
      expect(localTimeIn("UTC", instant)).toEqual({ weekday: "sun", minutes: 23 * 60 + 30 });
      expect(isOpenAt(hours({ mon: [{ from: "06:00", to: "07:00" }] }), instant)).toBe(true);
      expect(isOpenAt(hours({ mon: [{ from: "06:00", to: "07:00" }] }, "UTC"), instant)).toBe(false);
    });

    it("follows daylight saving time", () => {
      const london = officeHours("Europe/London");
      expect(isOpenAt(london, new Date("2026-07-07T07:30:00Z"))).toBe(true); // 08:30 BST
      expect(isOpenAt(london, new Date("2026-12-08T07:30:00Z"))).toBe(false); // 07:30 GMT
    });
  });
});

describe("formatHours", () => {
  const sample: OpeningHours = {
    timeZone: DEFAULT_TIME_ZONE,
    weekly: {
      ...weekly(["mon", "tue", "wed", "thu", "fri"], { from: "08:00", to: "17:00" }),
      sat: [{ from: "08:00", to: "12:00" }],
    },
  };

  it.each([
    ["en", "Mon–Fri 08:00–17:00; Sat 08:00–12:00"],
    ["km", "ច័ន្ទ–សុក្រ 08:00–17:00; សៅរ៍ 08:00–12:00"],
  ] as const)("writes grouped days in %s", (locale, text) => {
    expect(formatHours(sample, locale)).toBe(text);
  });

  it("says 24/7 for a service always open", () => {
    const always: OpeningHours = { timeZone: DEFAULT_TIME_ZONE, always: true, weekly: {} };
    expect(formatHours(always, "en")).toBe("24/7");
    expect(formatHours(always, "km")).toBe("24/7");
  });

  it("lists several intervals, groups only consecutive days, and says when every day is the same", () => {
    const shelter = hours({
      ...weekly(["mon", "tue"], { from: "08:00", to: "17:00" }, { from: "18:00", to: "06:00" }),
      thu: [
        { from: "08:00", to: "17:00" },
        { from: "18:00", to: "06:00" },
      ],
    });
    expect(formatHours(shelter, "en")).toBe("Mon–Tue 08:00–17:00, 18:00–06:00; Thu 08:00–17:00, 18:00–06:00");
    const daily = hours(weekly(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], { from: "07:00", to: "19:00" }));
    expect(formatHours(daily, "en")).toBe("Daily 07:00–19:00");
    expect(formatHours(daily, "km")).toBe("រៀងរាល់ថ្ងៃ 07:00–19:00");
  });

  it("says closed when there are no hours, and names a zone other than Phnom Penh's", () => {
    expect(formatHours(hours({}), "en")).toBe("Closed");
    expect(formatHours(hours({}), "km")).toBe("បិទ");
    expect(formatHours(officeHours("Europe/London"), "en")).toBe("Mon–Fri 08:00–17:00 (Europe/London)");
  });
});
