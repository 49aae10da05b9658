// Migration 0004: partner organisations and the router's small state. Frozen once released: fix mistakes with a
// new migration. Coalition data and staff Matrix IDs, never survivor data. The organisation's profile (names,
// homeserver, responders, what it takes, hours, capacity, SLAs, mode) is one JSON text column, checked against
// the domain schema on read; the queue room is its own column because the router sets it and looks orgs up by it.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable("organisations")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("data", "text", (col) => col.notNull())
    .addColumn("queue_room_id", "text")
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
  // One queue room per organisation: an offer posted there must have exactly one owner. NULLs (not linked) repeat.
  await db.schema
    .createIndex("organisations_queue_room_id")
    .on("organisations")
    .column("queue_room_id")
    .unique()
    .execute();

  await db.schema
    .createTable("routing_state")
    .addColumn("key", "text", (col) => col.primaryKey())
    .addColumn("value", "text", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
}
