// vitest globalSetup: one throwaway PostgreSQL cluster for the whole run. Test files reach it with
// `inject("havenPostgresUrl")` and make their own database with `createDatabase()` from ./postgres.ts.
import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL cluster (its `postgres` database). */
    havenPostgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgres();
  project.provide("havenPostgresUrl", cluster.url);
  return () => cluster.stop();
}
