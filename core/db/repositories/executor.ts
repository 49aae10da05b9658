import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.ts";

/** What every repository function takes: the database, or a transaction owned by the calling use case. */
export type DbExecutor = Kysely<Database> | Transaction<Database>;
