// Migration 0009: retention. Policy overrides per category and organisation (the hub default is config), what
// retention has done to each case, the purge and delete jobs asked of the hub Synapse (so that a crash resumes
// them instead of starting them again), and the retention audit record. Ids, times and counts only.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  const id = (table: ReturnType<Kysely<any>["schema"]["createTable"]>) =>
    table.addColumn("id", dialect === "postgres" ? "bigint" : "integer", (col) =>
      dialect === "postgres" ? col.primaryKey().generatedAlwaysAsIdentity() : col.primaryKey().autoIncrement(),
    );

  await db.schema
    .createTable("retention_overrides")
    .addColumn("scope", "text", (col) => col.notNull())
    .addColumn("scope_id", "text", (col) => col.notNull())
    .addColumn("message_lifetime_ms", "bigint")
    .addColumn("grace_after_close_ms", "bigint")
    .addColumn("media_lifetime_ms", "bigint")
    .addColumn("metadata_lifetime_ms", "bigint")
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("retention_overrides_pk", ["scope", "scope_id"])
    .execute();

  await db.schema
    .createTable("case_retention")
    .addColumn("case_id", "text", (col) => col.primaryKey().references("cases.id").onDelete("cascade"))
    .addColumn("rooms_deleted_at", "bigint")
    .addColumn("anonymised_at", "bigint")
    .execute();

  await id(db.schema.createTable("retention_jobs"))
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("room_id", "text", (col) => col.notNull())
    .addColumn("case_id", "text")
    .addColumn("up_to_ts", "bigint")
    .addColumn("synapse_id", "text")
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("retention_jobs_status").on("retention_jobs").columns(["status", "kind"]).execute();

  await id(db.schema.createTable("retention_audit"))
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("actor", "text", (col) => col.notNull())
    .addColumn("action", "text", (col) => col.notNull())
    .addColumn("case_id", "text")
    .addColumn("counts", "text", (col) => col.notNull())
    .execute();
}
