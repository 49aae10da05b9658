// Offers the router has redacted in the organisations' queue rooms once their lifetime had run.
import type { Offer } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export type OfferToRedact = Pick<Offer, "id" | "room_id"> & { event_id: string };

/** The organisation's posted offers, posted at or before `postedBy`, that are not redacted yet; oldest first. */
export async function listOffersToRedact(
  db: DbExecutor,
  orgId: string,
  postedBy: number,
  limit = 500,
): Promise<OfferToRedact[]> {
  const rows = await db
    .selectFrom("offers")
    .leftJoin("offer_redactions", "offer_redactions.offer_id", "offers.id")
    .select(["offers.id", "offers.room_id", "offers.event_id"])
    .where("offers.org_id", "=", orgId)
    .where("offers.event_id", "is not", null)
    .where("offers.offered_at", "<=", postedBy)
    .where("offer_redactions.offer_id", "is", null)
    .orderBy("offers.id")
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, room_id: row.room_id, event_id: row.event_id! }));
}

/** The organisations with posted offers not redacted yet (deleted organisations too: their queue rooms remain). */
export async function listOrgsWithOffersToRedact(db: DbExecutor): Promise<string[]> {
  const rows = await db
    .selectFrom("offers")
    .leftJoin("offer_redactions", "offer_redactions.offer_id", "offers.id")
    .select("offers.org_id")
    .distinct()
    .where("offers.event_id", "is not", null)
    .where("offer_redactions.offer_id", "is", null)
    .orderBy("offers.org_id")
    .execute();
  return rows.map((row) => row.org_id);
}

export async function recordOfferRedacted(db: DbExecutor, offerId: number, at: number): Promise<void> {
  await db
    .insertInto("offer_redactions")
    .values({ offer_id: offerId, redacted_at: at })
    .onConflict((conflict) => conflict.column("offer_id").doNothing())
    .execute();
}
