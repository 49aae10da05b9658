// The bridge's relay: org-side rooms per case and organisation, and every event relayed (ids only, never bodies).
import type { DirectRoom, NewRelayEvent, NewRelayRoom, RelayEvent, RelayHalt, RelayRoom } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

/** Records the org-side room of a case for an organisation; false when one was already recorded. */
export async function insertRelayRoom(db: DbExecutor, room: Omit<NewRelayRoom, "retired_at">): Promise<boolean> {
  const inserted = await db
    .insertInto("relay_rooms")
    .values({ ...room, retired_at: null })
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

/** The copy whose own event ID is `targetEventId` (a reply, edit, reaction or redaction may point at a copy). */
export async function getRelayedEventByTarget(db: DbExecutor, targetEventId: string): Promise<RelayEvent | undefined> {
  return db.selectFrom("relay_events").selectAll().where("target_event_id", "=", targetEventId).executeTakeFirst();
}

/** Org-side rooms still open to their organisation's responders. */
export async function listActiveRelayRooms(db: DbExecutor): Promise<RelayRoom[]> {
  return db.selectFrom("relay_rooms").selectAll().where("retired_at", "is", null).orderBy("created_at").execute();
}

export async function retireRelayRoom(db: DbExecutor, orgRoomId: string, at: number): Promise<void> {
  await db
    .updateTable("relay_rooms")
    .set({ retired_at: at })
    .where("org_room_id", "=", orgRoomId)
    .where("retired_at", "is", null)
    .execute();
}

/** Stops a case's relay; false when it was already stopped. */
export async function haltRelay(db: DbExecutor, halt: RelayHalt): Promise<boolean> {
  const inserted = await db
    .insertInto("relay_halts")
    .values(halt)
    .onConflict((conflict) => conflict.column("case_id").doNothing())
    .returning("case_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function getRelayHalt(db: DbExecutor, caseId: string): Promise<RelayHalt | undefined> {
  return db.selectFrom("relay_halts").selectAll().where("case_id", "=", caseId).executeTakeFirst();
}

export interface ReplyWait {
  caseId: string;
  orgId: string;
  /** When her latest message reached the organisation's room. */
  herLastAt: number;
  /** When a responder's latest message reached her; null if none yet. */
  orgLastAt: number | null;
}

/**
 * For each active case, when her last message was relayed to its organisation and when their last one reached
 * her. Notices the bridge sends on its own (records named `bridge:…`, or a notice back into the same room) are
 * not replies.
 */
export async function listReplyWaits(db: DbExecutor): Promise<ReplyWait[]> {
  const rows = await db
    .selectFrom("cases as c")
    .where("c.state", "=", "active")
    .where("c.org_id", "is not", null)
    .select((eb) => [
      "c.id as caseId",
      "c.org_id as orgId",
      eb
        .selectFrom("relay_events as e")
        .whereRef("e.case_id", "=", "c.id")
        .whereRef("e.source_room_id", "=", "c.survivor_room_id")
        .whereRef("e.target_room_id", "<>", "c.survivor_room_id")
        .select((inner) => inner.fn.max("e.relayed_at").as("at"))
        .as("herLastAt"),
      eb
        .selectFrom("relay_events as e")
        .whereRef("e.case_id", "=", "c.id")
        .whereRef("e.target_room_id", "=", "c.survivor_room_id")
        .whereRef("e.source_room_id", "<>", "c.survivor_room_id")
        .where("e.source_event_id", "not like", "bridge:%")
        .select((inner) => inner.fn.max("e.relayed_at").as("at"))
        .as("orgLastAt"),
    ])
    .execute();
  return rows.flatMap((row) =>
    row.herLastAt === null || row.herLastAt === undefined || row.orgId === null
      ? []
      : [
          {
            caseId: row.caseId,
            orgId: row.orgId,
            herLastAt: Number(row.herLastAt),
            orgLastAt: row.orgLastAt === null || row.orgLastAt === undefined ? null : Number(row.orgLastAt),
          },
        ],
  );
}

/** Records that an organisation's responders are let into her room (direct mode); idempotent. */
export async function insertDirectRoom(db: DbExecutor, caseId: string, orgId: string, at: number): Promise<void> {
  await db
    .insertInto("direct_rooms")
    .values({ case_id: caseId, org_id: orgId, invited_at: at, removed_at: null })
    .onConflict((conflict) => conflict.columns(["case_id", "org_id"]).doUpdateSet({ removed_at: null }))
    .execute();
}

export async function listActiveDirectRooms(db: DbExecutor): Promise<DirectRoom[]> {
  return db.selectFrom("direct_rooms").selectAll().where("removed_at", "is", null).orderBy("invited_at").execute();
}

export async function markDirectRoomRemoved(db: DbExecutor, caseId: string, orgId: string, at: number): Promise<void> {
  await db
    .updateTable("direct_rooms")
    .set({ removed_at: at })
    .where("case_id", "=", caseId)
    .where("org_id", "=", orgId)
    .execute();
}
