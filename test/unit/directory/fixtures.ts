import type { OpeningHours, Service, TimeInterval, Weekday } from "../../../core/directory/index.ts";

/** An instant given as Phnom Penh wall-clock time (UTC+7 all year), e.g. `pp("2026-12-04T22:30")`. */
export const pp = (local: string): Date => new Date(`${local}:00+07:00`);

// Calendar used by the tests: 2026-11-30 is a Monday.
export const MON = "2026-11-30";
export const TUE = "2026-12-01";
export const FRI = "2026-12-04";
export const SAT = "2026-12-05";
export const SUN = "2026-12-06";
export const NEXT_MON = "2026-12-07";

const WORKING_DAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri"];

/** The same intervals on every listed day. */
export function weekly(days: readonly Weekday[], ...intervals: TimeInterval[]): OpeningHours["weekly"] {
  return Object.fromEntries(days.map((day) => [day, intervals]));
}

export function officeHours(timeZone = "Asia/Phnom_Penh"): OpeningHours {
  return { timeZone, weekly: weekly(WORKING_DAYS, { from: "08:00", to: "17:00" }) };
}

export function service(overrides: Partial<Service> = {}): Service {
  const id = overrides.id ?? "svc";
  return {
    id,
    organisationId: "org-a",
    name: { km: `សេវា ${id}`, en: `Service ${id}` },
    description: { km: "ការពិពណ៌នា", en: "A description" },
    address: { km: "ភ្នំពេញ", en: "Phnom Penh" },
    categories: ["legal_aid"],
    provinces: ["phnom_penh"],
    languages: ["km", "en"],
    phone: "012 000 100",
    hours: officeHours(),
    emergency: false,
    ...overrides,
  };
}
