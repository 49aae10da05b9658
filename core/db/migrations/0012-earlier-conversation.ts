// Migration 0012: on a transfer, whether she agreed that the new organisation may read the earlier conversation.
// One row per transfer (its case-history entry): when she was asked, her answer, and when the text was passed on.
// Answers and times only; the text itself stays in the Matrix rooms and is never stored here.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable("earlier_conversation_consents")
    .addColumn("case_id", "text", (col) => col.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("transfer_id", "bigint", (col) => col.notNull())
    .addColumn("to_org_id", "text", (col) => col.notNull())
    .addColumn("asked_at", "bigint", (col) => col.notNull())
    .addColumn("answer", "text")
    .addColumn("answered_at", "bigint")
    .addColumn("passed_at", "bigint")
    .addPrimaryKeyConstraint("earlier_conversation_consents_pk", ["case_id", "transfer_id"])
    .execute();
}
