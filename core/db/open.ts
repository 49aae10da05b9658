// Opens Haven's database: SQLite under the data directory by default, PostgreSQL for a postgres:// URL.
// Migrations run before the handle is returned.
import { isAbsolute, join, resolve } from "node:path";
import { Kysely, type Dialect, type KyselyPlugin } from "kysely";
import { migrateToLatest } from "./migrate.ts";
import { postgresDialect } from "./postgres.ts";
import { BOOLEAN_COLUMNS, type Database } from "./schema.ts";
import { SqliteBooleanPlugin } from "./sqlite-booleans.ts";
import { sqliteDialect } from "./sqlite.ts";

export type DatabaseDialect = "sqlite" | "postgres";

export const DEFAULT_SQLITE_FILE = "haven.sqlite";

/** What the database layer logs: structured fields, never row contents. pino's Logger fits. */
export interface DatabaseLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface OpenDatabaseOptions {
  /** `sqlite:<path>` (relative to dataDir), `:memory:`, `postgres://…`/`postgresql://…`; default: SQLite in dataDir. */
  url?: string | undefined;
  dataDir: string;
  logger?: DatabaseLogger | undefined;
}

export interface HavenDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DatabaseDialect;
  /** Closes the file or the pool. Safe to call more than once. */
  close(): Promise<void>;
}

export type DatabaseLocation = { dialect: "sqlite"; path: string } | { dialect: "postgres"; url: string };

export function resolveDatabaseLocation(url: string | undefined, dataDir: string): DatabaseLocation {
  if (url === undefined || url === "") return { dialect: "sqlite", path: join(dataDir, DEFAULT_SQLITE_FILE) };
  if (url === ":memory:") return { dialect: "sqlite", path: ":memory:" };
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return { dialect: "postgres", url };
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length);
    if (path === "" || path.startsWith("//")) {
      throw new Error('database url: write "sqlite:relative/path", "sqlite:/absolute/path" or "sqlite::memory:"');
    }
    if (path === ":memory:") return { dialect: "sqlite", path };
    return { dialect: "sqlite", path: isAbsolute(path) ? path : resolve(dataDir, path) };
  }
  // Only the scheme is echoed: the rest may hold a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? "(none)";
  throw new Error(`database url: unsupported scheme ${scheme}; use sqlite:<path>, postgres:// or postgresql://`);
}

/** Connects without migrating. Most callers want `openDatabase`. */
export function connectDatabase(options: OpenDatabaseOptions): HavenDatabase {
  const location = resolveDatabaseLocation(options.url, options.dataDir);
  let dialect: Dialect;
  const plugins: KyselyPlugin[] = [];
  if (location.dialect === "sqlite") {
    dialect = sqliteDialect(location.path, options.logger);
    plugins.push(new SqliteBooleanPlugin(BOOLEAN_COLUMNS));
  } else {
    dialect = postgresDialect(location.url, options.logger);
  }
  const db = new Kysely<Database>({ dialect, plugins });
  let closing: Promise<void> | undefined;
  return {
    db,
    dialect: location.dialect,
    close: () => (closing ??= db.destroy()),
  };
}

/** Connects and brings the schema up to date; refuses a database migrated by a newer Haven. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<HavenDatabase> {
  const database = connectDatabase(options);
  try {
    await migrateToLatest(database.db, database.dialect, { logger: options.logger });
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
