// vitest setupFile of the e2e-postgres project: the end-to-end tests run again with Haven on PostgreSQL. Each test
// file (its own worker process) gets a fresh database in the run's cluster, named by HAVEN_DATABASE_URL: the Haven
// processes the tests start inherit it (it overrides database.url), and openHavenDatabase opens the same one.
import pg from "pg";
import { afterAll, expect, inject } from "vitest";
import { createDatabase } from "./postgres.ts";

const url = await createDatabase(inject("havenPostgresUrl"));
process.env["HAVEN_DATABASE_URL"] = url;

// Proof that the file's Haven really ran on this database, not on SQLite: its tables are here, with rows.
afterAll(async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(Number(rows[0]?.n)).toBeGreaterThan(1);
  } finally {
    await client.end();
  }
});
