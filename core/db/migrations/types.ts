/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any> */
import type { Kysely } from "kysely";

export type MigrationDialect = "sqlite" | "postgres";

/** A forward-only migration. `up` runs inside the transaction that covers the whole upgrade. */
export interface HavenMigration {
  /** Sortable and unique: `NNNN-what-it-does`. Recorded in the database; never rename one. */
  readonly name: string;
  up(db: Kysely<any>, dialect: MigrationDialect): Promise<void>;
}
