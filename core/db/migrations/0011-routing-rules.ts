// Migration 0011: routing rules in the database (decision 0017). Until now they came from the organisations file
// on every start; the file now seeds them once, and coordinators edit them through the admin API. `position`
// orders them: the first rule that matches a case decides.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable("routing_rules")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("position", "integer", (col) => col.notNull().unique())
    .addColumn("data", "text", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
}
