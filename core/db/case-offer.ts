// Putting a case before one organisation: the case moves to `offered` and the offer is recorded in the same
// transaction, so no crash can leave an offered case without its offer. The router posts pending offers in the
// organisation's queue room on its next pass; whoever records the offer (router, `!transfer`, the admin API)
// needs no Matrix client.
import type { Kysely } from "kysely";
import { assessOrganisation, caseFactsFromStored, organisationStateAt } from "../routing/index.ts";
import { moveCaseIn, type CaseMoveResult } from "./case-transitions.ts";
import { countActiveCasesByOrg } from "./repositories/case-pages.ts";
import { getCaseByCode } from "./repositories/cases.ts";
import { insertOffer } from "./repositories/offers.ts";
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
  readonly ruleId: string | null;
  readonly actor: string;
  readonly reason: string;
  readonly at: number;
}

export type CaseOfferResult =
  { ok: true; case: Case; offer: Offer } | Exclude<CaseMoveResult, { ok: true }> | { ok: false; reason: "not-linked" };

export async function offerCaseTo(db: Kysely<Database>, request: CaseOffer): Promise<CaseOfferResult> {
  const roomId = request.to.queueRoomId;
  if (roomId === null) return { ok: false, reason: "not-linked" };
  return db.transaction().execute(async (trx): Promise<CaseOfferResult> => {
    const moved = await moveCaseIn(trx, {
      code: request.code,
      to: "offered",
      actor: request.actor,
      at: request.at,
      orgId: null,
      reason: request.reason,
    });
    if (!moved.ok) return moved;
    const offer = await insertOffer(trx, {
      case_id: request.code,
      org_id: request.to.id,
      room_id: roomId,
      event_id: null,
      rule_id: request.ruleId,
      offered_at: request.at,
      deadline_at: request.at + request.to.claimSlaMs,
      settled_at: null,
      claimed_by: null,
    });
    return { ok: true, case: moved.case, offer };
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
    ruleId: null,
    actor: request.actor,
    reason: `transfer:${from}->${to.id}`,
    at: request.at,
  });
  if (offered.ok) return { ...offered, from };
  if (offered.reason === "not-found" || offered.reason === "not-linked") return { ok: false, reason: offered.reason };
  return { ok: false, reason: "stale" };
}
