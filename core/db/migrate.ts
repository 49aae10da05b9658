// Brings a database up to the newest schema this code knows, in one transaction, forward only.
import type { Kysely } from "kysely";
import { Migrator, type Migration, type MigrationProvider } from "kysely/migration";
import { MIGRATIONS, type HavenMigration, type MigrationDialect } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

export const MIGRATION_TABLE = "haven_migration";
export const MIGRATION_LOCK_TABLE = "haven_migration_lock";

export interface MigrationLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

/** The database was upgraded by a newer Haven than this one: starting would risk corrupting it. */
export class DatabaseNewerThanCodeError extends Error {
  readonly unknownMigrations: readonly string[];
  readonly latestKnownMigration: string | undefined;

  constructor(unknownMigrations: readonly string[], latestKnownMigration: string | undefined) {
    super(
      `The database was migrated by a newer version of Haven: it has migration(s) ` +
        `${unknownMigrations.join(", ")} that this version does not know ` +
        `(the newest it knows is ${latestKnownMigration ?? "none"}). ` +
        `Run the newer Haven, or restore a backup taken before the upgrade: Haven never migrates down.`,
    );
    this.name = "DatabaseNewerThanCodeError";
    this.unknownMigrations = unknownMigrations;
    this.latestKnownMigration = latestKnownMigration;
  }
}

export interface MigrateOptions {
  /** Defaults to every migration Haven has; tests pass their own lists. */
  migrations?: readonly HavenMigration[];
  logger?: MigrationLogger;
}

/** Applies the pending migrations and returns their names (empty when the schema is current). */
export async function migrateToLatest(
  db: Kysely<Database>,
  dialect: MigrationDialect,
  options: MigrateOptions = {},
): Promise<string[]> {
  const migrations = options.migrations ?? MIGRATIONS;
  assertOrdered(migrations);
  await refuseNewerDatabase(db, migrations);

  const migrator = new Migrator({
    db,
    provider: providerFor(migrations, dialect),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === "Error")?.migrationName;
    throw new Error(`database migration ${failed ?? "(before any migration)"} failed; nothing was applied`, {
      cause: error,
    });
  }
  const applied = results.map((result) => result.migrationName);
  if (applied.length > 0) options.logger?.info({ migrations: applied, dialect }, "database migrated");
  return applied;
}

async function refuseNewerDatabase(db: Kysely<Database>, migrations: readonly HavenMigration[]): Promise<void> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === MIGRATION_TABLE)) return;
  const executed = await db
    .withTables<{ [MIGRATION_TABLE]: { name: string } }>()
    .selectFrom(MIGRATION_TABLE)
    .select("name")
    .execute();
  const known = new Set(migrations.map((migration) => migration.name));
  const unknown = executed.map((row) => row.name).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new DatabaseNewerThanCodeError(unknown.sort(), migrations.at(-1)?.name);
}

// Kysely runs migrations sorted by name; the list must already be in that order so that what runs is what we read.
function assertOrdered(migrations: readonly HavenMigration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous !== undefined && !(previous.name < migration.name)) {
      throw new Error(`migration list out of order: ${previous.name} is listed before ${migration.name}`);
    }
  });
}

function providerFor(migrations: readonly HavenMigration[], dialect: MigrationDialect): MigrationProvider {
  const byName: Record<string, Migration> = {};
  for (const migration of migrations) byName[migration.name] = { up: (db) => migration.up(db, dialect) };
  return { getMigrations: () => Promise.resolve(byName) };
}
