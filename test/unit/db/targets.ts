// The databases every db test runs against: SQLite in memory, SQLite in a file, PostgreSQL (the run's
// throwaway cluster, see test/harness/postgres.global.ts). Each test gets a fresh, empty database.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, inject } from "vitest";
import { connectDatabase, openDatabase, type HavenDatabase, type OpenDatabaseOptions } from "../../../core/db/open.ts";
import { createDatabase } from "../../harness/postgres.ts";

export interface DbTarget {
  readonly name: string;
  /** Whether a second open of the same location sees the first one's data. */
  readonly persistent: boolean;
  /** A fresh, empty database; `dataDir` is a new temp dir in every case. */
  location(dataDir: string): Promise<OpenDatabaseOptions>;
}

export const SQLITE_MEMORY: DbTarget = {
  name: "sqlite (memory)",
  persistent: false,
  location: (dataDir) => Promise.resolve({ url: ":memory:", dataDir }),
};

export const SQLITE_FILE: DbTarget = {
  name: "sqlite (file)",
  persistent: true,
  location: (dataDir) => Promise.resolve({ dataDir }),
};

export const POSTGRES: DbTarget = {
  name: "postgres",
  persistent: true,
  location: async (dataDir) => ({ url: await createDatabase(inject("havenPostgresUrl")), dataDir }),
};

export const ALL_TARGETS: readonly DbTarget[] = [SQLITE_MEMORY, SQLITE_FILE, POSTGRES];
export const PERSISTENT_TARGETS: readonly DbTarget[] = ALL_TARGETS.filter((target) => target.persistent);

export interface FreshDatabases {
  /** A new location (fresh temp dir, fresh database) for this test. */
  location(): Promise<OpenDatabaseOptions>;
  /** Opens (and migrates) a database at `options`, or at a new location; closed after the test. */
  open(options?: OpenDatabaseOptions): Promise<HavenDatabase>;
  /** Connects without migrating; closed after the test. */
  connect(options?: OpenDatabaseOptions): Promise<HavenDatabase>;
}

/** Call inside a describe block: hands out databases on `target` and closes them after each test. */
export function freshDatabases(target: DbTarget): FreshDatabases {
  const opened: HavenDatabase[] = [];
  const tempDirs: string[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
    await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const location = async (): Promise<OpenDatabaseOptions> => {
    const dataDir = await mkdtemp(join(tmpdir(), "haven-db-test-"));
    tempDirs.push(dataDir);
    return target.location(dataDir);
  };
  const track = (database: HavenDatabase): HavenDatabase => {
    opened.push(database);
    return database;
  };
  return {
    location,
    open: async (options) => track(await openDatabase(options ?? (await location()))),
    connect: async (options) => track(connectDatabase(options ?? (await location()))),
  };
}
