// Migration 0005: offers of cases to organisations' queue rooms (with the deadline that drives escalation, so
// timers survive restarts) and the alerts the review team sees. Codes, ids and times only.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (table: ReturnType<Kysely<any>["schema"]["createTable"]>) =>
    table.addColumn("id", dialect === "postgres" ? "bigint" : "integer", (col) =>
      dialect === "postgres" ? col.primaryKey().generatedAlwaysAsIdentity() : col.primaryKey().autoIncrement(),
    );
  await id(db.schema.createTable("offers"))
    .addColumn("case_id", "text", (col) => col.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("room_id", "text", (col) => col.notNull())
    .addColumn("event_id", "text")
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("rule_id", "text")
    .addColumn("offered_at", "bigint", (col) => col.notNull())
    .addColumn("deadline_at", "bigint", (col) => col.notNull())
    .addColumn("settled_at", "bigint")
    .addColumn("claimed_by", "text")
    .execute();
  await db.schema.createIndex("offers_status_deadline").on("offers").columns(["status", "deadline_at"]).execute();
  await db.schema.createIndex("offers_case").on("offers").column("case_id").execute();
  await db.schema.createIndex("offers_event").on("offers").column("event_id").execute();

  await id(db.schema.createTable("alerts"))
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("case_id", "text")
    .addColumn("org_id", "text")
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("event_id", "text")
    .addColumn("acked_by", "text")
    .addColumn("acked_at", "bigint")
    .execute();
  await db.schema.createIndex("alerts_case").on("alerts").column("case_id").execute();
}
