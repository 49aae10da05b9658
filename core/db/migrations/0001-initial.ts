// Migration 0001: the first schema. Frozen once released: fix mistakes with a new migration.
// Written against Kysely<any> so that it never depends on today's schema types.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable("cases")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("survivor_mxid", "text")
    .addColumn("survivor_room_id", "text")
    .addColumn("locale", "text", (col) => col.notNull())
    .addColumn("category", "text")
    .addColumn("province", "text")
    .addColumn("urgent", "boolean", (col) => col.notNull())
    .addColumn("under18", "boolean", (col) => col.notNull())
    .addColumn("consent_summary", "boolean", (col) => col.notNull())
    .addColumn("org_id", "text")
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addColumn("closed_at", "bigint")
    .execute();
  await db.schema.createIndex("cases_state_created_at").on("cases").columns(["state", "created_at"]).execute();
  await db.schema
    .createIndex("cases_survivor_mxid")
    .on("cases")
    .column("survivor_mxid")
    .where(sql.ref("survivor_mxid"), "is not", null)
    .execute();

  await db.schema
    .createTable("case_history")
    .addColumn("id", dialect === "postgres" ? "bigint" : "integer", (col) =>
      dialect === "postgres" ? col.primaryKey().generatedAlwaysAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn("case_id", "text", (col) => col.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("from_state", "text")
    .addColumn("to_state", "text", (col) => col.notNull())
    .addColumn("actor", "text", (col) => col.notNull())
    .addColumn("org_id", "text")
    .addColumn("reason", "text")
    .execute();
  await db.schema.createIndex("case_history_case_id").on("case_history").columns(["case_id", "id"]).execute();

  await db.schema
    .createTable("room_checkpoints")
    .addColumn("bot_user_id", "text", (col) => col.notNull())
    .addColumn("room_id", "text", (col) => col.notNull())
    .addColumn("last_event_id", "text", (col) => col.notNull())
    .addColumn("last_origin_ts", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("room_checkpoints_pk", ["bot_user_id", "room_id"])
    .execute();

  await db.schema
    .createTable("processed_events")
    .addColumn("bot_user_id", "text", (col) => col.notNull())
    .addColumn("event_id", "text", (col) => col.notNull())
    .addColumn("room_id", "text", (col) => col.notNull())
    .addColumn("processed_at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("processed_events_pk", ["bot_user_id", "event_id"])
    .execute();
  await db.schema.createIndex("processed_events_processed_at").on("processed_events").column("processed_at").execute();
}
