// Migration 0003: where each survivor is in her conversation with the intake bot, and the triage answer
// cases lacked (the helper's language). Enums only (the step and
// the triage answers chosen from numbered lists), never her words. Deleted on quick exit or when she leaves.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable("intake_conversations")
    .addColumn("survivor_mxid", "text", (col) => col.primaryKey())
    .addColumn("room_id", "text", (col) => col.notNull())
    .addColumn("locale", "text")
    .addColumn("step", "text", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("intake_conversations_room_id").on("intake_conversations").column("room_id").execute();
  // The language she wants her helper to speak (km, en, either); null when she skipped the question.
  await db.schema.alterTable("cases").addColumn("service_language", "text").execute();
}
