// Opening hours: weekly intervals in the service's own time zone, evaluated with Intl only.
import type { ServiceLanguage } from "./taxonomy.ts";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Where the pilot runs, and the zone of every service that does not name another. */
export const DEFAULT_TIME_ZONE = "Asia/Phnom_Penh";

const MINUTES_PER_DAY = 24 * 60;

/**
 * `from` and `to` are "HH:MM" (00:00–23:59) local to the service. An interval whose `to` is not after its
 * `from` crosses midnight: `fri 22:00–06:00` is Friday 22:00 to Saturday 06:00; `18:00–00:00` ends at midnight;
 * `08:00–08:00` lasts 24 hours.
 */
export interface TimeInterval {
  readonly from: string;
  readonly to: string;
}

export interface OpeningHours {
  /** An IANA zone, e.g. `Asia/Phnom_Penh`. */
  readonly timeZone: string;
  /** Open around the clock; `weekly` is then ignored. */
  readonly always?: boolean;
  /** Days left out are closed (except for an interval of the day before that crosses midnight). */
  readonly weekly: Readonly<Partial<Record<Weekday, readonly TimeInterval[]>>>;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight for a strict "HH:MM" (00:00–23:59), or undefined. */
export function minutesOfClockTime(time: string): number | undefined {
  const match = CLOCK_TIME.exec(time);
  if (match === null) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Whether Intl knows the zone (IANA names, case-insensitively, and UTC offsets such as `+07:00`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical spelling as Intl reports it (`asia/phnom_penh` → `Asia/Phnom_Penh`). */
export function canonicalTimeZone(timeZone: string): string {
  return formatterFor(timeZone).resolvedOptions().timeZone;
}

// Building a DateTimeFormat is slow compared with using one; a directory names a handful of zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const WEEKDAY_BY_SHORT_NAME: Readonly<Record<string, Weekday>> = {
  Mon: "mon",
  Tue: "tue",
  Wed: "wed",
  Thu: "thu",
  Fri: "fri",
  Sat: "sat",
  Sun: "sun",
};

export interface LocalTime {
  readonly weekday: Weekday;
  /** Minutes since local midnight, 0–1439. */
  readonly minutes: number;
}

/** The weekday and wall-clock time of `instant` in `timeZone`. Throws a RangeError for an unknown zone. */
export function localTimeIn(timeZone: string, instant: Date): LocalTime {
  let weekday: Weekday | undefined;
  let hour = Number.NaN;
  let minute = Number.NaN;
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type === "weekday") weekday = WEEKDAY_BY_SHORT_NAME[part.value];
    else if (part.type === "hour") hour = Number(part.value) % 24;
    else if (part.type === "minute") minute = Number(part.value);
  }
  if (weekday === undefined || Number.isNaN(hour) || Number.isNaN(minute)) {
    throw new Error(`cannot read the local time in ${timeZone}`);
  }
  return { weekday, minutes: hour * 60 + minute };
}

interface Span {
  readonly start: number;
  /** Exclusive; above MINUTES_PER_DAY when the interval crosses midnight. */
  readonly end: number;
}

function spanOf(interval: TimeInterval): Span {
  const start = minutesOfClockTime(interval.from);
  const to = minutesOfClockTime(interval.to);
  if (start === undefined || to === undefined) {
    throw new Error(`invalid opening interval ${interval.from}–${interval.to}: validate services before use`);
  }
  return { start, end: to > start ? to : to + MINUTES_PER_DAY };
}

function previousDay(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + WEEKDAYS.length - 1) % WEEKDAYS.length] ?? "sun";
}

/** Whether the service is open at `instant`, read on the wall clock of its own time zone. */
export function isOpenAt(hours: OpeningHours, instant: Date): boolean {
  if (hours.always === true) return true;
  const { weekday, minutes } = localTimeIn(hours.timeZone, instant);
  const today = hours.weekly[weekday] ?? [];
  const yesterday = hours.weekly[previousDay(weekday)] ?? [];
  return (
    today.some((interval) => {
      const span = spanOf(interval);
      return minutes >= span.start && minutes < span.end;
    }) ||
    yesterday.some((interval) => {
      const span = spanOf(interval);
      return minutes + MINUTES_PER_DAY < span.end;
    })
  );
}

interface HoursWords {
  readonly days: Readonly<Record<Weekday, string>>;
  readonly everyDay: string;
  readonly closed: string;
  readonly always: string;
}

const WORDS: Readonly<Record<ServiceLanguage, HoursWords>> = {
  en: {
    days: { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" },
    everyDay: "Daily",
    closed: "Closed",
    always: "24/7",
  },
  km: {
    days: {
      mon: "ច័ន្ទ",
      tue: "អង្គារ",
      wed: "ពុធ",
      thu: "ព្រហស្បតិ៍",
      fri: "សុក្រ",
      sat: "សៅរ៍",
      sun: "អាទិត្យ",
    },
    everyDay: "រៀងរាល់ថ្ងៃ",
    closed: "បិទ",
    always: "24/7",
  },
};

/**
 * Short opening hours for a survivor: `Mon–Fri 08:00–17:00; Sat 08:00–12:00`, `ច័ន្ទ–សុក្រ 08:00–17:00`,
 * `24/7`. Consecutive days with the same intervals are grouped; a zone other than Phnom Penh's is named.
 */
export function formatHours(hours: OpeningHours, locale: ServiceLanguage): string {
  const words = WORDS[locale];
  if (hours.always === true) return words.always;
  const groups: { first: Weekday; last: Weekday; intervals: string }[] = [];
  for (const day of WEEKDAYS) {
    const intervals = (hours.weekly[day] ?? []).map((interval) => `${interval.from}–${interval.to}`).join(", ");
    if (intervals === "") continue;
    const previous = groups.at(-1);
    if (previous !== undefined && previous.intervals === intervals && previousDay(day) === previous.last) {
      previous.last = day;
    } else {
      groups.push({ first: day, last: day, intervals });
    }
  }
  let text: string;
  const [only] = groups;
  if (only === undefined) text = words.closed;
  else if (groups.length === 1 && only.first === "mon" && only.last === "sun")
    text = `${words.everyDay} ${only.intervals}`;
  else {
    text = groups
      .map(({ first, last, intervals }) => {
        const days = first === last ? words.days[first] : `${words.days[first]}–${words.days[last]}`;
        return `${days} ${intervals}`;
      })
      .join("; ");
  }
  return hours.timeZone === DEFAULT_TIME_ZONE ? text : `${text} (${hours.timeZone})`;
}
