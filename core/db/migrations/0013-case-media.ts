// Migration 0013: the media of each case held in the hub's media repository (her uploads there and the bridge's
// cleaned copies), so that retention can delete them when their lifetime ends or the case goes; and which offers in
// the partners' queue rooms the router has redacted after their lifetime. Ids and times only.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable("case_media")
    .addColumn("server_name", "text", (col) => col.notNull())
    .addColumn("media_id", "text", (col) => col.notNull())
    .addColumn("case_id", "text", (col) => col.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("uploaded_at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("case_media_pk", ["server_name", "media_id"])
    .execute();
  await db.schema.createIndex("case_media_case").on("case_media").columns(["case_id", "uploaded_at"]).execute();
  await db.schema
    .createTable("offer_redactions")
    .addColumn("offer_id", "bigint", (col) => col.primaryKey().references("offers.id").onDelete("cascade"))
    .addColumn("redacted_at", "bigint", (col) => col.notNull())
    .execute();
}
