// Alerts for the review team: what kind, which case and organisation, when; who looked and when.
import type { Alert, NewAlert } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export async function insertAlert(db: DbExecutor, alert: NewAlert): Promise<Alert> {
  return db.insertInto("alerts").values(alert).returningAll().executeTakeFirstOrThrow();
}

export async function setAlertEvent(db: DbExecutor, id: number, eventId: string): Promise<void> {
  await db.updateTable("alerts").set({ event_id: eventId }).where("id", "=", id).execute();
}

/** Marks every unacknowledged alert of the case as seen by `by`; returns how many. */
export async function ackAlertsForCase(db: DbExecutor, caseId: string, by: string, at: number): Promise<number> {
  const result = await db
    .updateTable("alerts")
    .set({ acked_by: by, acked_at: at })
    .where("case_id", "=", caseId)
    .where("acked_by", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listAlertsForCase(db: DbExecutor, caseId: string): Promise<Alert[]> {
  return db.selectFrom("alerts").selectAll().where("case_id", "=", caseId).orderBy("id").execute();
}

/** Alerts recorded by a part of Haven that cannot post them itself (the bridge), not yet posted. */
export async function listUnpostedAlerts(db: DbExecutor, kinds: readonly string[]): Promise<Alert[]> {
  if (kinds.length === 0) return [];
  return db
    .selectFrom("alerts")
    .selectAll()
    .where("event_id", "is", null)
    .where("kind", "in", [...kinds])
    .orderBy("id")
    .execute();
}
