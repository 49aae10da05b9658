// A partner organisation as the router sees it: who it is, where its people are, what it takes on and when.
// Public coalition data and staff Matrix IDs only, never survivor data.
import type { LocalisedText } from "../directory/service.ts";
import type { OpeningHours } from "../directory/hours.ts";
import type { Category, ServiceArea, ServiceLanguage } from "../directory/taxonomy.ts";
import type { Locale } from "../i18n/locales.ts";

/** A Matrix user ID, `@localpart:server.name`, checked by `isMatrixUserId`. */
export type MatrixUserId = `@${string}:${string}`;

export const ROUTING_MODES = ["relay", "direct"] as const;
/**
 * `relay`: the bridge copies messages between the survivor's room and an org-side room; the org never learns her
 * Matrix ID. `direct` (opt-in): the responder is invited into the survivor's case room.
 */
export type RoutingMode = (typeof ROUTING_MODES)[number];

export interface OrganisationCapacity {
  /** Cases the organisation holds at once (claimed or active); at this many it is offered no more. */
  readonly maxActiveCases: number;
  /** Cases one responder holds at once; an org whose every responder is at this many is offered no more. */
  readonly maxActivePerResponder: number;
}

export interface Organisation {
  /** Stable, unique, lowercase (`a-z`, `0-9`, `-`, `_`), same format as directory ids. */
  readonly id: string;
  readonly name: LocalisedText;
  /** How the org is named in messages to a survivor: "<shortName> counsellor". */
  readonly shortName: LocalisedText;
  /** The org's own homeserver (server name), e.g. `ngo-a.example.org`. */
  readonly homeserver: string;
  /** The room on the org's homeserver where offers are posted; null until the router has linked one. */
  readonly queueRoomId: string | null;
  /** Staff who may claim cases: Matrix IDs on `homeserver`. */
  readonly responders: readonly MatrixUserId[];
  /** At least one. */
  readonly categories: readonly Category[];
  /** At least one; `nationwide` matches every province. */
  readonly provinces: readonly ServiceArea[];
  /** Languages its responders speak with survivors; at least one. */
  readonly languages: readonly ServiceLanguage[];
  /** When someone is there to claim a case. Ignored for routing when `alwaysOpen`. */
  readonly hours: OpeningHours;
  /** Staffed around the clock: urgent cases go to these first; the fallback must be one. */
  readonly alwaysOpen: boolean;
  readonly capacity: OrganisationCapacity;
  /** How long an offer waits for a claim before it escalates to the next organisation. */
  readonly claimSlaMs: number;
  /** How long a survivor's message waits for a reply before the monitors are alerted. */
  readonly replySlaMs: number;
  readonly routingMode: RoutingMode;
  /** May take cases of survivors under 18 (trained child-protection staff, a referral path for minors). */
  readonly childProtection: boolean;
  /** The language the router writes in to its staff (offers, confirmations, refusals, help). */
  readonly staffLanguage: Locale;
}

export const DEFAULT_STAFF_LANGUAGE: Locale = "en";

export const DEFAULT_CLAIM_SLA_MS = 5 * 60_000;
export const DEFAULT_REPLY_SLA_MS = 10 * 60_000;

/**
 * Bounds a validated SLA stays within. The low end (5 s) exists for tests against real homeservers; an
 * operator's values are minutes. The high ends keep a forgotten offer or message from waiting for days.
 */
export const SLA_BOUNDS_MS = {
  claim: { min: 5_000, max: 60 * 60_000 },
  reply: { min: 5_000, max: 24 * 60 * 60_000 },
} as const;

/** Bounds for capacity numbers: at least one case, and no more than a single hub could route. */
export const CAPACITY_BOUNDS = {
  maxActiveCases: { min: 1, max: 10_000 },
  maxActivePerResponder: { min: 1, max: 1_000 },
} as const;
