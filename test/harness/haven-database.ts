import { openDatabase, type HavenDatabase } from "../../core/db/open.ts";

/**
 * Haven's database as a test's Haven uses it: PostgreSQL when HAVEN_DATABASE_URL names one (the e2e-postgres
 * project sets it, see postgres-e2e.setup.ts), else SQLite in `dataDir`.
 */
export async function openHavenDatabase(dataDir: string): Promise<HavenDatabase> {
  const url = process.env["HAVEN_DATABASE_URL"];
  return openDatabase({ dataDir, ...(url ? { url } : {}) });
}
