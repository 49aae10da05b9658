// Migration 0006: the bridge's relay. Which org-side room carries a case for an organisation, and which events
// have been relayed where (so each is relayed exactly once). Ids and times only, never message bodies.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable("relay_rooms")
    .addColumn("case_id", "text", (col) => col.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("org_room_id", "text", (col) => col.notNull().unique())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("relay_rooms_pk", ["case_id", "org_id"])
    .execute();

  await db.schema
    .createTable("relay_events")
    .addColumn("source_event_id", "text", (col) => col.primaryKey())
    .addColumn("source_room_id", "text", (col) => col.notNull())
    .addColumn("target_room_id", "text", (col) => col.notNull())
    .addColumn("target_event_id", "text", (col) => col.notNull())
    .addColumn("case_id", "text", (col) => col.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("relayed_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("relay_events_case").on("relay_events").column("case_id").execute();
}
