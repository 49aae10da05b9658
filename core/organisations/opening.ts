// When an organisation can take a case: its 24/7 flag, else its weekly hours (core/directory/hours.ts).
import { WEEKDAYS, isOpenAt, localTimeIn, minutesOfClockTime, type Weekday } from "../directory/hours.ts";
import type { Organisation } from "./organisation.ts";

/** A wall-clock moment in the organisation's own time zone: `{ weekday: "mon", time: "08:00" }`. */
export interface LocalOpening {
  readonly weekday: Weekday;
  /** "HH:MM" */
  readonly time: string;
}

const MINUTES_PER_DAY = 24 * 60;

/** Whether someone at the organisation can claim a case at `instant`. */
export function isOrganisationOpenAt(organisation: Organisation, instant: Date): boolean {
  return organisation.alwaysOpen || isOpenAt(organisation.hours, instant);
}

/**
 * The next start of an opening interval after `instant`, on the organisation's wall clock (within a week);
 * undefined for an always-open organisation or one with no weekly hours. Meant for a closed organisation:
 * "closed now (opens Mon 08:00)". Counts wall-clock minutes, so a daylight-saving jump is not accounted for;
 * the weekday and time it returns are still the ones written in the hours.
 */
export function nextOpeningAfter(organisation: Organisation, instant: Date): LocalOpening | undefined {
  if (organisation.alwaysOpen || organisation.hours.always === true) return undefined;
  const now = localTimeIn(organisation.hours.timeZone, instant);
  const today = WEEKDAYS.indexOf(now.weekday);
  let best: { offset: number; opening: LocalOpening } | undefined;
  for (let days = 0; days <= WEEKDAYS.length; days += 1) {
    const weekday = WEEKDAYS[(today + days) % WEEKDAYS.length] ?? "mon";
    for (const interval of organisation.hours.weekly[weekday] ?? []) {
      const start = minutesOfClockTime(interval.from);
      if (start === undefined) continue;
      const offset = days * MINUTES_PER_DAY + start - now.minutes;
      if (offset > 0 && (best === undefined || offset < best.offset)) {
        best = { offset, opening: { weekday, time: interval.from } };
      }
    }
  }
  return best?.opening;
}
