import { translate } from "../../core/i18n/translate.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import {
  emergencyServices,
  formatHours,
  searchServices,
  type Category,
  type Province,
  type Service,
} from "../../core/directory/index.ts";

const maxResults = 5;

function renderService(locale: Locale, service: Service, openNow: boolean): string {
  const status = service.hours.always
    ? translate(locale, "services.open24h")
    : translate(locale, openNow ? "services.openNow" : "services.closedNow");
  return [
    `• ${service.name[locale]} (${status})`,
    service.description[locale],
    translate(locale, "services.phone", { phone: service.phone }),
    translate(locale, "services.hours", { hours: formatHours(service.hours, locale) }),
    translate(locale, "services.address", { address: service.address[locale] }),
  ].join("\n");
}

/** Directory answers, open-now first, at most five so they fit on a phone screen. */
export function renderServiceResults(
  locale: Locale,
  services: readonly Service[],
  query: { category: Category; province?: Province; at: Date },
): string {
  const found = searchServices(services, query).slice(0, maxResults);
  if (found.length === 0) return translate(locale, "services.none");
  return [
    translate(locale, "services.resultsTitle"),
    ...found.map((r) => renderService(locale, r.service, r.openNow)),
  ].join("\n\n");
}

/** The numbers to call now: one line per emergency service. */
export function renderEmergencyNumbers(locale: Locale, services: readonly Service[], at: Date): string {
  return emergencyServices(services, at)
    .map((r) => `${r.service.name[locale]}: ${r.service.phone}`)
    .join("\n");
}
