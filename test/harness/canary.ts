// Canaries: unique marks in everything survivors and responders write in an e2e test file, looked for afterwards
// everywhere Haven keeps things (its database, its data directory, its log). Haven keeps metadata only, so a canary
// found there is content that leaked.
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { sql } from "kysely";
import { expect } from "vitest";
import type { HavenDatabase } from "../../core/db/open.ts";
import { DEFAULT_SQLITE_FILE } from "../../core/db/open.ts";
import { createLogger, type Logger } from "../../core/log/logger.ts";

/** The canaries of one test file. */
export class Canaries {
  private readonly needles: string[] = [];

  /** Every canary issued or watched so far. */
  get all(): readonly string[] {
    return this.needles;
  }

  /** `words` followed by a canary no other message carries: what a person writes in a test. */
  mark(words: string): string {
    return `${words} ${this.issue()}`;
  }

  /** A file name with a canary before its extension: `IMG_home.jpg` → `IMG_home-canary-….jpg`. */
  fileName(name: string): string {
    const dot = name.lastIndexOf(".");
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
    return `${stem}-${this.issue()}${extension}`;
  }

  /**
   * Looks for `text` as it is, for words a test must keep unchanged (the committed screenshots show them). Only for
   * text found nowhere in Haven's code, catalogues or sample data, so that finding it means it leaked.
   */
  watch(text: string): string {
    this.needles.push(text);
    return text;
  }

  private issue(): string {
    const canary = `canary-${randomBytes(6).toString("hex")}`;
    this.needles.push(canary);
    return canary;
  }
}

/** A Haven logger for a test that runs the bots in its own process: JSON lines into a file, at debug level. */
export function fileLogger(path: string): {
  logger: Logger;
  read(): Promise<string>;
  /** Haven's warnings and errors so far (metadata only, as everything Haven logs), for a failed test's report. */
  warnings(): Promise<string[]>;
} {
  const stream = createWriteStream(path, { flags: "a" });
  const read = async (): Promise<string> => {
    await new Promise<void>((resolve) => stream.write("", () => resolve()));
    return readFile(path, "utf8");
  };
  return {
    logger: createLogger("debug", stream),
    read,
    async warnings() {
      return (await read()).split("\n").filter((line) => /"level":(4|5|6)0\b/.test(line));
    },
  };
}

export interface HavenTraces {
  /** Haven's data directory: its SQLite database, the bots' sealed stores, whatever else it wrote. */
  dataDir: string;
  /** Everything Haven logged in this test file. */
  log: string;
  /** Haven's database: on PostgreSQL every row of every table is searched. */
  database: HavenDatabase;
}

export interface CanarySearch {
  /** "<canary> in <where>", for each canary found. */
  found: string[];
  files: string[];
  sqliteFile: boolean;
  postgresTables: number;
  logBytes: number;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Looks for every canary in Haven's data directory (every file, byte for byte), its log and its database. */
export async function searchForCanaries(needles: readonly string[], traces: HavenTraces): Promise<CanarySearch> {
  const found: string[] = [];
  const files = await filesUnder(traces.dataDir);
  for (const file of files) {
    // A bot still running renames its sealed crypto store's temporary file into place: gone is fine.
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return Buffer.alloc(0);
      throw error;
    });
    for (const needle of needles) if (bytes.includes(Buffer.from(needle))) found.push(`${needle} in ${file}`);
  }
  for (const needle of needles) if (traces.log.includes(needle)) found.push(`${needle} in the log`);
  let postgresTables = 0;
  if (traces.database.dialect === "postgres") {
    const { rows: tables } = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`.execute(
      traces.database.db,
    );
    postgresTables = tables.length;
    for (const { name } of tables) {
      const { rows } = await sql<{ row: unknown }>`SELECT row_to_json(t) AS row FROM ${sql.table(name)} t`.execute(
        traces.database.db,
      );
      const dump = JSON.stringify(rows);
      for (const needle of needles) {
        // bytea columns come out as hex.
        if (dump.includes(needle) || dump.includes(Buffer.from(needle).toString("hex"))) {
          found.push(`${needle} in table ${name}`);
        }
      }
    }
  }
  return {
    found,
    files,
    sqliteFile: files.some((f) => f.endsWith(DEFAULT_SQLITE_FILE)),
    postgresTables,
    logBytes: traces.log.length,
  };
}

/**
 * The check each e2e file ends with: at least `atLeast` canaries were written, every place was really searched (the
 * SQLite file, or PostgreSQL's tables on the second pass; a log with lines in it), and no canary is anywhere.
 */
export async function expectNoCanaries(canaries: Canaries, traces: HavenTraces, atLeast: number): Promise<void> {
  expect(canaries.all.length).toBeGreaterThanOrEqual(atLeast);
  const search = await searchForCanaries(canaries.all, traces);
  if (traces.database.dialect === "postgres") expect(search.postgresTables).toBeGreaterThan(10);
  else expect(search.sqliteFile).toBe(true);
  expect(search.logBytes).toBeGreaterThan(1_000);
  expect(search.found).toEqual([]);
}
