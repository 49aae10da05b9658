// Offers: a case put before one organisation, with the deadline by which it must be claimed.
// status: pending (not yet posted) → open (posted) → claimed | withdrawn | expired.
import type { NewOffer, Offer, OfferStatus } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export async function insertOffer(db: DbExecutor, offer: Omit<NewOffer, "status">): Promise<Offer> {
  return db
    .insertInto("offers")
    .values({ ...offer, status: "pending" })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records where the offer was posted. Only a pending offer becomes open. */
export async function markOfferPosted(db: DbExecutor, id: number, eventId: string): Promise<boolean> {
  const result = await db
    .updateTable("offers")
    .set({ status: "open", event_id: eventId })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Ends an offer if it is still in one of `from`: of two racing settlements (a claim and the deadline, two
 * claims) only one changes the row.
 */
export async function settleOffer(
  db: DbExecutor,
  settlement: { id: number; from: readonly OfferStatus[]; to: OfferStatus; at: number; claimedBy?: string },
): Promise<boolean> {
  const result = await db
    .updateTable("offers")
    .set({ status: settlement.to, settled_at: settlement.at, claimed_by: settlement.claimedBy ?? null })
    .where("id", "=", settlement.id)
    .where("status", "in", settlement.from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listPendingOffers(db: DbExecutor): Promise<Offer[]> {
  return db.selectFrom("offers").selectAll().where("status", "=", "pending").orderBy("id").execute();
}

/** Offers still waiting for a claim whose deadline has passed: the escalation worker's input. */
export async function listOverdueOffers(db: DbExecutor, now: number): Promise<Offer[]> {
  return db
    .selectFrom("offers")
    .selectAll()
    .where("status", "in", ["pending", "open"])
    .where("deadline_at", "<=", now)
    .orderBy("deadline_at")
    .orderBy("id")
    .execute();
}

export async function listOffersForCase(db: DbExecutor, caseId: string): Promise<Offer[]> {
  return db.selectFrom("offers").selectAll().where("case_id", "=", caseId).orderBy("id").execute();
}

export async function getOfferByEvent(db: DbExecutor, eventId: string): Promise<Offer | undefined> {
  return db.selectFrom("offers").selectAll().where("event_id", "=", eventId).executeTakeFirst();
}

/** The offers of this case that can still be claimed (one at most, when the router placed them). */
export async function listLiveOffers(db: DbExecutor, caseId: string): Promise<Offer[]> {
  return db
    .selectFrom("offers")
    .selectAll()
    .where("case_id", "=", caseId)
    .where("status", "in", ["pending", "open"])
    .orderBy("id")
    .execute();
}

/** The offer of this case to this organisation that can still be claimed, if any. */
export async function getLiveOffer(db: DbExecutor, caseId: string, orgId: string): Promise<Offer | undefined> {
  return db
    .selectFrom("offers")
    .selectAll()
    .where("case_id", "=", caseId)
    .where("org_id", "=", orgId)
    .where("status", "in", ["pending", "open"])
    .orderBy("id", "desc")
    .executeTakeFirst();
}
