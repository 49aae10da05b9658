// The router's changes of custody that touch a case and its offers together, each in one transaction: nobody
// (another router pass, the admin API, a second Haven connection on PostgreSQL) ever sees an offer claimed while
// its case is still `offered`, or a case `offered` with its offer not yet recorded.
import type { Kysely, Transaction } from "kysely";
import type { CaseState } from "../cases/states.ts";
import { moveCaseWithin, type CaseMoveResult } from "./case-transitions.ts";
import { insertOffer, listLiveOffers, settleOffer } from "./repositories/offers.ts";
import type { Case, Database, Offer } from "./schema.ts";

export interface OfferPlacement {
  code: string;
  /** What the caller saw: the case is offered only if it is still so (see `CaseMove.expected`). */
  expected: { states: readonly CaseState[]; orgId?: string | null };
  org: { id: string; queueRoomId: string; claimSlaMs: number };
  ruleId: string | null;
  actor: string;
  at: number;
  /** For the custody record: the rule that routed it, or the transfer. */
  reason: string;
}

export type OfferPlacementResult =
  | { ok: true; case: Case; offer: Offer }
  | Exclude<CaseMoveResult, { ok: true }>
  /** Another pass offered the case meanwhile (`offered → offered` is legal, so the state alone cannot tell). */
  | { ok: false; reason: "already-offered" };

/** Ends a transaction without its changes, carrying the answer out. */
class Rollback<T> extends Error {
  readonly result: T;
  constructor(result: T) {
    super("rolled back");
    this.result = result;
  }
}

async function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (error instanceof Rollback) return error.result as T;
    throw error;
  }
}

/**
 * Moves the case to `offered` and records the (not yet posted) offer to `org`, or neither. At most one offer of a
 * case is live at a time: the case's row, locked by the move, orders two placements, and the second finds the
 * first's offer.
 */
export async function placeOffer(db: Kysely<Database>, placement: OfferPlacement): Promise<OfferPlacementResult> {
  return inTransaction(db, async (trx): Promise<OfferPlacementResult> => {
    const moved = await moveCaseWithin(trx, {
      code: placement.code,
      to: "offered",
      actor: placement.actor,
      at: placement.at,
      orgId: null,
      reason: placement.reason,
      expected: placement.expected,
    });
    if (!moved.ok) return moved;
    if ((await listLiveOffers(trx, placement.code)).length > 0) {
      throw new Rollback<OfferPlacementResult>({ ok: false, reason: "already-offered" });
    }
    const offer = await insertOffer(trx, {
      case_id: placement.code,
      org_id: placement.org.id,
      room_id: placement.org.queueRoomId,
      event_id: null,
      rule_id: placement.ruleId,
      offered_at: placement.at,
      deadline_at: placement.at + placement.org.claimSlaMs,
      settled_at: null,
      claimed_by: null,
    });
    return { ok: true, case: moved.case, offer };
  });
}

export interface OfferClaim {
  offer: Pick<Offer, "id" | "case_id" | "org_id" | "rule_id">;
  responder: string;
  at: number;
}

export type OfferClaimResult =
  | { ok: true; case: Case }
  /** The offer was already claimed, withdrawn or expired: someone else was first, or its deadline passed. */
  | { ok: false; reason: "offer-settled" }
  /** The offer was still open but the case had moved on (erased, closed): nothing changed. */
  | { ok: false; reason: "case-moved"; result: Exclude<CaseMoveResult, { ok: true }> };

/**
 * The first valid claim wins: the offer becomes `claimed` and the case `claimed` by its organisation, both or
 * neither. Of two racing claims (or a claim and the deadline) exactly one changes the offer.
 */
export async function claimOffer(db: Kysely<Database>, claim: OfferClaim): Promise<OfferClaimResult> {
  const { offer, responder, at } = claim;
  return inTransaction(db, async (trx): Promise<OfferClaimResult> => {
    const settled = await settleOffer(trx, {
      id: offer.id,
      from: ["pending", "open"],
      to: "claimed",
      at,
      claimedBy: responder,
    });
    if (!settled) return { ok: false, reason: "offer-settled" };
    const moved = await moveCaseWithin(trx, {
      code: offer.case_id,
      to: "claimed",
      actor: responder,
      at,
      orgId: offer.org_id,
      reason: `claimed${offer.rule_id ? `:${offer.rule_id}` : ""}`,
      expected: { states: ["offered"] },
    });
    if (!moved.ok) throw new Rollback<OfferClaimResult>({ ok: false, reason: "case-moved", result: moved });
    return { ok: true, case: moved.case };
  });
}
