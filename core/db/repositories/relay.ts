// The bridge's relay: org-side rooms per case and organisation, and every event relayed (ids only, never bodies).
import type { NewRelayEvent, NewRelayRoom, RelayEvent, RelayRoom } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

/** Records the org-side room of a case for an organisation; false when one was already recorded. */
export async function insertRelayRoom(db: DbExecutor, room: NewRelayRoom): Promise<boolean> {
  const inserted = await db
    .insertInto("relay_rooms")
    .values(room)
    .onConflict((conflict) => conflict.columns(["case_id", "org_id"]).doNothing())
    .returning("org_room_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function getRelayRoom(db: DbExecutor, caseId: string, orgId: string): Promise<RelayRoom | undefined> {
  return db
    .selectFrom("relay_rooms")
    .selectAll()
    .where("case_id", "=", caseId)
    .where("org_id", "=", orgId)
    .executeTakeFirst();
}

export async function getRelayRoomByOrgRoom(db: DbExecutor, orgRoomId: string): Promise<RelayRoom | undefined> {
  return db.selectFrom("relay_rooms").selectAll().where("org_room_id", "=", orgRoomId).executeTakeFirst();
}

export async function getRelayedEvent(db: DbExecutor, sourceEventId: string): Promise<RelayEvent | undefined> {
  return db.selectFrom("relay_events").selectAll().where("source_event_id", "=", sourceEventId).executeTakeFirst();
}

/** Records a relayed event; false when it was already recorded (a redelivery after a crash). */
export async function recordRelayedEvent(db: DbExecutor, event: NewRelayEvent): Promise<boolean> {
  const inserted = await db
    .insertInto("relay_events")
    .values(event)
    .onConflict((conflict) => conflict.column("source_event_id").doNothing())
    .returning("source_event_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function listRelayedEventsForCase(db: DbExecutor, caseId: string): Promise<RelayEvent[]> {
  return db.selectFrom("relay_events").selectAll().where("case_id", "=", caseId).orderBy("relayed_at").execute();
}
