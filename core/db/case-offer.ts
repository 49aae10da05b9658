// Putting a case before one organisation: the case moves to `offered` and the offer is recorded in the same
// transaction, so no crash can leave an offered case without its offer. The router posts pending offers in the
// organisation's queue room on its next pass; whoever records the offer needs no Matrix client. The router calls
// placeOffer (offer-transitions.ts) itself; the admin API's transfer comes through here to the same placement.
import type { Kysely } from "kysely";
import { assessOrganisation, caseFactsFromStored, organisationStateAt } from "../routing/index.ts";
import type { CaseState } from "../cases/states.ts";
import { placeOffer, type OfferPlacementResult } from "./offer-transitions.ts";
import { countActiveCasesByOrg } from "./repositories/case-pages.ts";
import { getCaseByCode } from "./repositories/cases.ts";
import { getOrganisation } from "./repositories/organisations.ts";
import type { Case, Database, Offer } from "./schema.ts";

/** Where an offer goes: the organisation's queue room and how long it has to claim. */
export interface OfferTarget {
  readonly id: string;
  readonly queueRoomId: string | null;
  readonly claimSlaMs: number;
}

export interface CaseOffer {
  readonly code: string;
  readonly to: OfferTarget;
  /** What the caller saw: the case is offered only if it is still so. */
  readonly expected: { states: readonly CaseState[]; orgId?: string | null };
  readonly ruleId: string | null;
  readonly actor: string;
  readonly reason: string;
  readonly at: number;
}

export type CaseOfferResult = OfferPlacementResult | { ok: false; reason: "not-linked" };

/** The case offered to one organisation through the router's own atomic placement (core/db/offer-transitions). */
export async function offerCaseTo(db: Kysely<Database>, request: CaseOffer): Promise<CaseOfferResult> {
  const roomId = request.to.queueRoomId;
  if (roomId === null) return { ok: false, reason: "not-linked" };
  return placeOffer(db, {
    code: request.code,
    expected: request.expected,
    org: { id: request.to.id, queueRoomId: roomId, claimSlaMs: request.to.claimSlaMs },
    ruleId: request.ruleId,
    actor: request.actor,
    at: request.at,
    reason: request.reason,
  });
}

export type CanTake = { ok: true } | { ok: false; reason: string };

/** Whether the organisation stored in the database can take the case now (open, not full, serves her). */
export async function canOrganisationTake(
  db: Kysely<Database>,
  theCase: Case,
  orgId: string,
  at: number,
): Promise<CanTake> {
  const organisation = await getOrganisation(db, orgId);
  if (organisation === undefined) return { ok: false, reason: "is not a known organisation" };
  const loads = await countActiveCasesByOrg(db);
  const state = organisationStateAt(organisation, new Date(at), { activeCases: loads.get(orgId) ?? 0 });
  const assessment = assessOrganisation(caseFactsFromStored(theCase), state);
  if (assessment.canTake) return { ok: true };
  return { ok: false, reason: `cannot take it: ${assessment.failed.map((r) => r.text).join("; ")}` };
}

export interface CaseTransfer {
  readonly code: string;
  /** The organisation to offer it to; undefined when no organisation has the id asked for. */
  readonly to: OfferTarget | undefined;
  /** Only a case this organisation holds may be transferred (a responder's `!transfer`); unset for coordinators. */
  readonly heldBy?: string | undefined;
  readonly actor: string;
  readonly at: number;
  /** Whether the target can take the case now. */
  readonly canTake: (theCase: Case) => Promise<CanTake>;
}

export type CaseTransferResult =
  | { ok: true; case: Case; offer: Offer; from: string }
  | { ok: false; reason: "not-found" | "not-held" | "unknown-organisation" | "same-organisation" | "not-linked" }
  | { ok: false; reason: "cannot-take"; detail: string }
  | { ok: false; reason: "stale" };

/**
 * A transfer: a claimed or active case is offered to another organisation, which must be able to take it
 * (custody history records `transfer:<from>-><to>`). The same function serves a responder's `!transfer` and the
 * admin API; the router posts the offer and the bridge moves the rooms once the new organisation claims.
 */
export async function transferCase(db: Kysely<Database>, request: CaseTransfer): Promise<CaseTransferResult> {
  const theCase = await getCaseByCode(db, request.code);
  if (!theCase) return { ok: false, reason: "not-found" };
  const from = theCase.org_id;
  if (from === null || (theCase.state !== "claimed" && theCase.state !== "active")) {
    return { ok: false, reason: "not-held" };
  }
  if (request.heldBy !== undefined && from !== request.heldBy) return { ok: false, reason: "not-held" };
  const to = request.to;
  if (to === undefined) return { ok: false, reason: "unknown-organisation" };
  if (to.id === from) return { ok: false, reason: "same-organisation" };
  if (to.queueRoomId === null) return { ok: false, reason: "not-linked" };
  const able = await request.canTake(theCase);
  if (!able.ok) return { ok: false, reason: "cannot-take", detail: able.reason };
  const offered = await offerCaseTo(db, {
    code: theCase.id,
    to,
    expected: { states: [theCase.state], orgId: from },
    ruleId: null,
    actor: request.actor,
    reason: `transfer:${from}->${to.id}`,
    at: request.at,
  });
  if (offered.ok) return { ...offered, from };
  if (offered.reason === "not-found" || offered.reason === "not-linked") return { ok: false, reason: offered.reason };
  return { ok: false, reason: "stale" };
}
