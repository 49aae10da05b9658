// PostgreSQL through a pg Pool. bigint columns (our epoch-ms times, identities) come back as numbers.
import pg from "pg";
import { PostgresDialect } from "kysely";

export const POSTGRES_POOL_SIZE = 10;
const INT8_OID = 20;

export interface PostgresLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} does not fit a JavaScript number`);
  return value;
}

export function postgresDialect(url: string, logger?: PostgresLogger): PostgresDialect {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);
  const pool = new pg.Pool({ connectionString: url, max: POSTGRES_POOL_SIZE, types });
  // An idle connection that breaks (server restart, network) is replaced on next use; without a
  // listener, the pool's "error" event would crash the process.
  pool.on("error", (error) => logger?.warn({ err: error }, "idle PostgreSQL connection failed"));
  return new PostgresDialect({ pool });
}
