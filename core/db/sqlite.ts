// SQLite through better-sqlite3: one file under the data directory, readable by its owner only.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { SqliteAdapter, SqliteDialect, type DialectAdapter } from "kysely";

export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export interface SqliteLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

// SQLite runs DDL inside transactions perfectly well; Kysely's adapter just does not claim it.
// Claiming it makes the Migrator wrap the whole upgrade in one transaction, as on PostgreSQL.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class HavenSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** Opens (creating when missing) the SQLite database at `path`, or an in-memory one for ":memory:". */
export function sqliteDialect(path: string, logger?: SqliteLogger): SqliteDialect {
  if (path !== ":memory:") ensureOwnerOnlyFile(path, logger);
  const database = new BetterSqlite3(path);
  try {
    const journalMode: unknown = database.pragma("journal_mode = WAL", { simple: true });
    if (path !== ":memory:" && journalMode !== "wal") {
      logger?.warn({ path, journalMode }, "SQLite refused WAL mode; concurrent readers will block");
    }
    database.pragma("foreign_keys = ON");
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    database.pragma("synchronous = NORMAL");
  } catch (error) {
    database.close();
    throw error;
  }
  return new HavenSqliteDialect({ database });
}

function ensureOwnerOnlyFile(path: string, logger?: SqliteLogger): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, "wx", 0o600));
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    chmodSync(path, 0o600);
    logger?.warn({ path, mode: mode.toString(8) }, "database file was readable by others; made it owner-only (0600)");
  }
}
