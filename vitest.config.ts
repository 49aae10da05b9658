import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // matrix-js-sdk logs verbosely to the console from every client; show output only for failing tests.
    silent: "passed-only",
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          globalSetup: ["test/harness/postgres.global.ts"],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks",
          maxWorkers: 2,
        },
      },
      {
        // The end-to-end suite again, with Haven on PostgreSQL (a fresh database per test file). The fault runs
        // (minutes of Synapse and process restarts) run once, on SQLite: what they test is Matrix-side.
        test: {
          name: "e2e-postgres",
          include: ["test/e2e/**/*.test.ts"],
          exclude: ["test/e2e/bridge-faults.test.ts"],
          globalSetup: ["test/harness/postgres.global.ts"],
          setupFiles: ["test/harness/postgres-e2e.setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks",
          maxWorkers: 2,
        },
      },
    ],
  },
});
