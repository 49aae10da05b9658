// Finding services for a survivor: filter by what she needs and where she is, open ones first.
import { isOpenAt } from "./hours.ts";
import type { Service } from "./service.ts";
import { NATIONWIDE, type Category, type Province } from "./taxonomy.ts";

export interface ServiceQuery {
  /** Omitted: every category. */
  readonly category?: Category | undefined;
  /** Omitted: every province. `other` finds the nationwide services only. */
  readonly province?: Province | undefined;
  /** The moment "open now" refers to. */
  readonly at: Date;
}

export interface ServiceMatch {
  readonly service: Service;
  readonly openNow: boolean;
}

/** Whether a survivor in `province` can use the service: it works there or nationwide. */
export function servesProvince(service: Service, province: Province): boolean {
  return service.provinces.some((area) => area === NATIONWIDE || area === province);
}

/** Services to put first among those equally open: emergency lines and hotlines. */
export function isUrgentLine(service: Service): boolean {
  return service.emergency || service.categories.includes("hotline");
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/** Open now first, then emergency lines and hotlines, then by English name, then by id (a total order). */
function compareMatches(a: ServiceMatch, b: ServiceMatch): number {
  return (
    Number(b.openNow) - Number(a.openNow) ||
    Number(isUrgentLine(b.service)) - Number(isUrgentLine(a.service)) ||
    collator.compare(a.service.name.en, b.service.name.en) ||
    (a.service.id < b.service.id ? -1 : a.service.id > b.service.id ? 1 : 0)
  );
}

function rank(services: readonly Service[], at: Date): ServiceMatch[] {
  return services.map((service) => ({ service, openNow: isOpenAt(service.hours, at) })).sort(compareMatches);
}

/** The services matching the query, in the order a survivor should see them. */
export function searchServices(services: readonly Service[], query: ServiceQuery): ServiceMatch[] {
  const { category, province } = query;
  return rank(
    services.filter(
      (service) =>
        (category === undefined || service.categories.includes(category)) &&
        (province === undefined || servesProvince(service, province)),
    ),
    query.at,
  );
}

/** The services to show a survivor who says she is in danger now, open ones first. */
export function emergencyServices(services: readonly Service[], at: Date): ServiceMatch[] {
  return rank(
    services.filter((service) => service.emergency),
    at,
  );
}
