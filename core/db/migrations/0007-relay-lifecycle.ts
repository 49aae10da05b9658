// Migration 0007: the relay's life cycle. An org-side room is retired (closed to its responders) when the case
// leaves that organisation; a case's relay is halted when someone unexpected appears in one of its rooms; copies
// are looked up by their own event ID (a reply, edit, reaction or redaction of a copy); in direct mode, which
// organisation's responders were let into her room, and when they were taken out again. Ids and times only.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable("relay_rooms").addColumn("retired_at", "bigint").execute();
  await db.schema.createIndex("relay_events_target").on("relay_events").column("target_event_id").execute();
  await db.schema
    .createTable("relay_halts")
    .addColumn("case_id", "text", (col) => col.primaryKey().references("cases.id").onDelete("cascade"))
    .addColumn("room_id", "text", (col) => col.notNull())
    .addColumn("reason", "text", (col) => col.notNull())
    .addColumn("at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createTable("direct_rooms")
    .addColumn("case_id", "text", (col) => col.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("invited_at", "bigint", (col) => col.notNull())
    .addColumn("removed_at", "bigint")
    .addPrimaryKeyConstraint("direct_rooms_pk", ["case_id", "org_id"])
    .execute();
}
