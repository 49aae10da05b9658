import { chmodSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_SQLITE_FILE, resolveDatabaseLocation } from "../../../core/db/open.ts";
import { SQLITE_BUSY_TIMEOUT_MS } from "../../../core/db/sqlite.ts";
import { POSTGRES, SQLITE_FILE, freshDatabases } from "./targets.ts";

describe("resolveDatabaseLocation", () => {
  const dataDir = "/var/lib/haven";

  it.each([
    [undefined, { dialect: "sqlite", path: `/var/lib/haven/${DEFAULT_SQLITE_FILE}` }],
    ["", { dialect: "sqlite", path: `/var/lib/haven/${DEFAULT_SQLITE_FILE}` }],
    [":memory:", { dialect: "sqlite", path: ":memory:" }],
    ["sqlite::memory:", { dialect: "sqlite", path: ":memory:" }],
    ["sqlite:db/haven.db", { dialect: "sqlite", path: "/var/lib/haven/db/haven.db" }],
    ["sqlite:/srv/haven.db", { dialect: "sqlite", path: "/srv/haven.db" }],
    ["postgres://u:p@db/haven", { dialect: "postgres", url: "postgres://u:p@db/haven" }],
    ["postgresql://db/haven", { dialect: "postgres", url: "postgresql://db/haven" }],
  ])("%j", (url, expected) => {
    expect(resolveDatabaseLocation(url, dataDir)).toEqual(expected);
  });

  it("rejects other schemes without echoing the rest of the URL", () => {
    expect(() => resolveDatabaseLocation("mysql://u:secret@db/haven", dataDir)).toThrow(/unsupported scheme mysql:/);
    expect(() => resolveDatabaseLocation("mysql://u:secret@db/haven", dataDir)).not.toThrow(/secret/);
    expect(() => resolveDatabaseLocation("sqlite:///srv/haven.db", dataDir)).toThrow(/sqlite:\/absolute\/path/);
  });
});

describe("SQLite file", () => {
  const databases = freshDatabases(SQLITE_FILE);

  it("is created owner-only under the data dir, in WAL mode with foreign keys on", async () => {
    const location = await databases.location();
    const { db, dialect } = await databases.open(location);
    expect(dialect).toBe("sqlite");
    expect(statSync(join(location.dataDir, DEFAULT_SQLITE_FILE)).mode & 0o777).toBe(0o600);
    const pragma = async (name: string): Promise<unknown> =>
      Object.values((await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(db)).rows[0] ?? {})[0];
    expect(await pragma("journal_mode")).toBe("wal");
    expect(await pragma("foreign_keys")).toBe(1);
    expect(await pragma("busy_timeout")).toBe(SQLITE_BUSY_TIMEOUT_MS);
    expect(await pragma("synchronous")).toBe(1); // NORMAL
  });

  it("tightens an existing file that others could read, and says so", async () => {
    const location = await databases.location();
    const path = join(location.dataDir, "loose.db");
    writeFileSync(path, "");
    chmodSync(path, 0o644);
    const logger = { info: vi.fn(), warn: vi.fn() };
    await databases.open({ ...location, url: "sqlite:loose.db", logger });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ path }), expect.stringContaining("0600"));
  });
});

describe("PostgreSQL", () => {
  const databases = freshDatabases(POSTGRES);

  it("returns bigint values as numbers, and refuses ones a number cannot hold", async () => {
    const { db, dialect } = await databases.open();
    expect(dialect).toBe("postgres");
    const safe = await sql<{ n: number }>`select ${sql.lit(Number.MAX_SAFE_INTEGER)}::bigint as n`.execute(db);
    expect(safe.rows).toEqual([{ n: Number.MAX_SAFE_INTEGER }]);
    await expect(sql`select 9007199254740993::bigint as n`.execute(db)).rejects.toThrow(RangeError);
  });
});
