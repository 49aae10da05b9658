import type { Organisation } from "../../../core/organisations/index.ts";

const WEEKDAY_OFFICE = [{ from: "08:00", to: "17:00" }];

/** A valid, normalised organisation (as parseOrganisation returns it): open weekdays 08:00–17:00 in Phnom Penh. */
export function organisation(overrides: Partial<Organisation> = {}): Organisation {
  const id = overrides.id ?? "ngo-a";
  const homeserver = overrides.homeserver ?? `${id}.example.org`;
  return {
    id,
    name: { km: `អង្គការ ${id}`, en: `Organisation ${id}` },
    shortName: { km: id, en: id },
    homeserver,
    queueRoomId: `!queue-${id}:${homeserver}`,
    responders: [`@responder1:${homeserver}`, `@responder2:${homeserver}`],
    categories: ["domestic_violence", "sexual_violence", "workplace_harassment"],
    provinces: ["phnom_penh", "kandal"],
    languages: ["km", "en"],
    hours: {
      timeZone: "Asia/Phnom_Penh",
      weekly: {
        mon: WEEKDAY_OFFICE,
        tue: WEEKDAY_OFFICE,
        wed: WEEKDAY_OFFICE,
        thu: WEEKDAY_OFFICE,
        fri: WEEKDAY_OFFICE,
      },
    },
    alwaysOpen: false,
    capacity: { maxActiveCases: 10, maxActivePerResponder: 5 },
    claimSlaMs: 5 * 60_000,
    replySlaMs: 10 * 60_000,
    routingMode: "relay",
    childProtection: false,
    staffLanguage: "en",
    ...overrides,
  };
}

/** A 24/7 nationwide hotline that takes every category, children included: a fallback. */
export function hotline(overrides: Partial<Organisation> = {}): Organisation {
  return organisation({
    id: "hotline",
    categories: ["hotline", "domestic_violence", "sexual_violence", "psychosocial", "other"],
    provinces: ["nationwide"],
    hours: { timeZone: "Asia/Phnom_Penh", always: true, weekly: {} },
    alwaysOpen: true,
    childProtection: true,
    capacity: { maxActiveCases: 30, maxActivePerResponder: 10 },
    ...overrides,
  });
}
