// Migration 0002: the service directory. Frozen once released: fix mistakes with a new migration.
// Public directory data (what services exist and when they are open), never survivor data. The localised texts,
// categories, provinces, languages and hours are one JSON text column, checked against the domain schema on read.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable("directory_services")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("organisation_id", "text", (col) => col.notNull())
    .addColumn("data", "text", (col) => col.notNull())
    .addColumn("phone", "text", (col) => col.notNull())
    .addColumn("emergency", "boolean", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("directory_services_organisation_id")
    .on("directory_services")
    .column("organisation_id")
    .execute();
}
