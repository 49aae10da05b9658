// Migration 0014: a purge of a room's history on the hub stops before an event the worker chose (the oldest message
// it must keep, or the newest expired one), not before a time: Synapse's purge by time goes wrong in a room with
// backfilled events (decision 0020). An event ID only.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely } from "kysely";
import type { MigrationDialect } from "./types.ts";

export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable("retention_jobs").addColumn("up_to_event_id", "text").execute();
}
