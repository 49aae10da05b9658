// Migration 0008: the admin API's own tables. API tokens (only a hash of each token is kept), the people who may
// sign in with Matrix and their role, OpenID tokens already used (so none is accepted twice), and the
// hash-chained audit log. No case content, no message content.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  // The admin API pages through cases in (created_at, id) order, optionally for one organisation.
  await db.schema.createIndex("cases_created_at_id").on("cases").columns(["created_at", "id"]).execute();
  await db.schema.createIndex("cases_org_created_at").on("cases").columns(["org_id", "created_at", "id"]).execute();
  await db.schema.createIndex("alerts_kind_case").on("alerts").columns(["kind", "case_id"]).execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("token_hash", "text", (col) => col.notNull().unique())
    .addColumn("subject", "text", (col) => col.notNull())
    .addColumn("role", "text", (col) => col.notNull())
    .addColumn("org_id", "text")
    .addColumn("created_by", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("expires_at", "bigint", (col) => col.notNull())
    .addColumn("revoked_at", "bigint")
    .execute();

  await db.schema
    .createTable("admin_users")
    .addColumn("user_id", "text", (col) => col.primaryKey())
    .addColumn("role", "text", (col) => col.notNull())
    .addColumn("org_id", "text")
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();

  await db.schema
    .createTable("openid_tokens_used")
    .addColumn("token_hash", "text", (col) => col.primaryKey())
    .addColumn("used_at", "bigint", (col) => col.notNull())
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("seq", dialect === "postgres" ? "bigint" : "integer", (col) =>
      dialect === "postgres" ? col.primaryKey().generatedAlwaysAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("actor", "text", (col) => col.notNull())
    .addColumn("action", "text", (col) => col.notNull())
    .addColumn("target", "text")
    .addColumn("result", "text", (col) => col.notNull())
    .addColumn("request_id", "text", (col) => col.notNull())
    .addColumn("prev_hash", "text", (col) => col.notNull())
    .addColumn("hash", "text", (col) => col.notNull())
    .execute();
}
