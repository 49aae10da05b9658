import { sql, type Kysely } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { DatabaseNewerThanCodeError, MIGRATION_TABLE, migrateToLatest } from "../../../core/db/migrate.ts";
import { MIGRATIONS, type HavenMigration } from "../../../core/db/migrations/index.ts";
import { BOOLEAN_COLUMNS, type Database } from "../../../core/db/schema.ts";
import { ALL_TARGETS, PERSISTENT_TARGETS, freshDatabases } from "./targets.ts";

const TABLES = [
  "admin_users",
  "alerts",
  "api_tokens",
  "audit_log",
  "case_history",
  "case_media",
  "case_retention",
  "cases",
  "direct_rooms",
  "directory_services",
  "earlier_conversation_consents",
  "intake_conversations",
  "offer_redactions",
  "offers",
  "openid_tokens_used",
  "organisations",
  "processed_events",
  "relay_events",
  "relay_halts",
  "relay_rooms",
  "retention_audit",
  "retention_jobs",
  "retention_overrides",
  "room_checkpoints",
  "routing_rules",
  "routing_state",
  "webchat_accounts",
];

type MigrationRow = { name: string; timestamp: string };
const migrationRows = (db: Kysely<Database>): Promise<MigrationRow[]> =>
  db
    .withTables<{ [MIGRATION_TABLE]: MigrationRow }>()
    .selectFrom(MIGRATION_TABLE)
    .select(["name", "timestamp"])
    .orderBy("name")
    .execute();

async function tableNames(db: Kysely<Database>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((table) => table.name).filter((name) => !name.startsWith("haven_migration"));
}

const logger = () => ({ info: vi.fn(), warn: vi.fn() });

describe.each(ALL_TARGETS)("migrations on $name", (target) => {
  const databases = freshDatabases(target);

  it("brings an empty database up to the latest schema", async () => {
    const { db } = await databases.open();
    expect((await tableNames(db)).sort()).toEqual(TABLES);
    expect((await migrationRows(db)).map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
  });

  it("declares exactly the boolean columns that sqlite-booleans.ts converts", async () => {
    const { db } = await databases.open();
    const tables = await db.introspection.getTables();
    const booleans = tables.flatMap((table) =>
      table.columns.filter((column) => ["bool", "boolean"].includes(column.dataType)).map((column) => column.name),
    );
    expect(new Set(booleans)).toEqual(BOOLEAN_COLUMNS);
  });

  it("does nothing when the schema is already current", async () => {
    const { db, dialect } = await databases.open();
    const before = await migrationRows(db);
    expect(await migrateToLatest(db, dialect)).toEqual([]);
    expect(await migrationRows(db)).toEqual(before);
  });

  it("refuses a database migrated by a newer Haven, naming the unknown migration", async () => {
    const { db, dialect } = await databases.open();
    await db
      .withTables<{ [MIGRATION_TABLE]: MigrationRow }>()
      .insertInto(MIGRATION_TABLE)
      .values({ name: "9999-from-the-future", timestamp: new Date().toISOString() })
      .execute();
    const attempt = migrateToLatest(db, dialect);
    await expect(attempt).rejects.toBeInstanceOf(DatabaseNewerThanCodeError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`9999-from-the-future.*newest it knows is ${MIGRATIONS.at(-1)!.name}`),
    );
  });

  it("applies all pending migrations in one transaction: a failure leaves nothing behind", async () => {
    const { db, dialect } = await databases.connect();
    const migrations: HavenMigration[] = [
      { name: "0001-creates", up: (anyDb) => anyDb.schema.createTable("t_created").addColumn("x", "text").execute() },
      { name: "0002-fails", up: (anyDb) => sql`select * from no_such_table`.execute(anyDb).then(() => undefined) },
    ];
    await expect(migrateToLatest(db, dialect, { migrations })).rejects.toThrow(/migration 0002-fails failed/);
    expect(await tableNames(db)).toEqual([]);
    expect(await migrationRows(db)).toEqual([]);
  });

  it("refuses a migration list that is not in name order", async () => {
    const { db, dialect } = await databases.connect();
    const noop = (): Promise<void> => Promise.resolve();
    const migrations = [
      { name: "0002-b", up: noop },
      { name: "0001-a", up: noop },
    ];
    await expect(migrateToLatest(db, dialect, { migrations })).rejects.toThrow(/out of order/);
  });
});

describe.each(PERSISTENT_TARGETS)("reopening on $name", (target) => {
  const databases = freshDatabases(target);

  it("keeps the data and runs no migration again", async () => {
    const location = await databases.location();
    const first = await databases.open({ ...location, logger: logger() });
    await first.db
      .insertInto("processed_events")
      .values({ bot_user_id: "@bot:hub.test", event_id: "$e", room_id: "!r:hub.test", processed_at: 1 })
      .execute();
    const rows = await migrationRows(first.db);
    await first.close();

    const secondLogger = logger();
    const second = await databases.open({ ...location, logger: secondLogger });
    expect(await migrationRows(second.db)).toEqual(rows);
    expect(secondLogger.info).not.toHaveBeenCalled();
    expect(await second.db.selectFrom("processed_events").select("event_id").execute()).toEqual([{ event_id: "$e" }]);
  });

  it("refuses to open a database migrated by a newer Haven, and closes it", async () => {
    const location = await databases.location();
    const first = await databases.open(location);
    await first.db
      .withTables<{ [MIGRATION_TABLE]: MigrationRow }>()
      .insertInto(MIGRATION_TABLE)
      .values({ name: "0002-from-the-future", timestamp: new Date().toISOString() })
      .execute();
    await first.close();
    await expect(databases.open(location)).rejects.toThrow(DatabaseNewerThanCodeError);
  });
});
