// Processed events: which events a bot has already handled, for idempotent handling.
import type { NewProcessedEvent } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

/**
 * Records that the bot handled the event. Returns true for the first caller only, even when several
 * race (insert-or-ignore on the primary key, atomic in both dialects).
 */
export async function markEventProcessed(db: DbExecutor, event: NewProcessedEvent): Promise<boolean> {
  const inserted = await db
    .insertInto("processed_events")
    .values(event)
    .onConflict((conflict) => conflict.columns(["bot_user_id", "event_id"]).doNothing())
    .returning("event_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Forgets events processed before `cutoff` (epoch ms), once redelivery of them is no longer possible. */
export async function deleteProcessedEventsBefore(db: DbExecutor, cutoff: number): Promise<number> {
  const result = await db.deleteFrom("processed_events").where("processed_at", "<", cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
