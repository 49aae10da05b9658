// An admin API over a fresh in-memory database with the sample organisations, for tests and the benchmark.
import { join } from "node:path";
import { createApp } from "../../admin/app.ts";
import { newApiToken, tokenHash } from "../../admin/api-token.ts";
import type { AdminDeps } from "../../admin/deps.ts";
import type { AdminApp } from "../../admin/env.ts";
import type { AdminRole } from "../../admin/principal.ts";
import { loadOrganisationsFile, type OrganisationsSetup } from "../../config/load-organisations.ts";
import { projectRoot } from "../../config/project-root.ts";
import { openDatabase, type HavenDatabase } from "../../core/db/open.ts";
import { insertApiToken } from "../../core/db/repositories/api-tokens.ts";
import { replaceAllOrganisations } from "../../core/db/repositories/organisations.ts";
import { seedRoutingRules } from "../../core/db/repositories/routing-rules.ts";

/** The hub's retention policy the fixture's API checks overrides against: 30 days, a week's grace. */
export const HUB_POLICY = {
  messageLifetimeMs: 30 * 86_400_000,
  graceAfterCloseMs: 7 * 86_400_000,
  mediaLifetimeMs: 7 * 86_400_000,
  metadataLifetimeMs: 365 * 86_400_000,
} as const;

export const BOOTSTRAP_TOKEN = "bootstrap-token-for-tests-only-0123456789abcdef";

export interface AdminFixture {
  readonly app: AdminApp;
  readonly database: HavenDatabase;
  readonly setup: OrganisationsSetup;
  /** A live token with this role (and organisation, for org_admin). */
  token(role: AdminRole, orgId?: string | null): Promise<string>;
  close(): Promise<void>;
}

export async function startAdminFixture(overrides: Partial<AdminDeps> = {}): Promise<AdminFixture> {
  const database = await openDatabase({ url: ":memory:", dataDir: "/nonexistent" });
  const setup = loadOrganisationsFile(join(projectRoot, "config/organisations.sample.yaml"));
  await replaceAllOrganisations(database.db, setup.organisations);
  await seedRoutingRules(database.db, setup.rules, Date.now());
  const deps: AdminDeps = {
    db: database.db,
    now: Date.now,
    coalitionServers: ["hub.example.org"],
    openidUserinfo: () => Promise.resolve({ ok: false, reason: "no homeserver in this test" }),
    bootstrapToken: BOOTSTRAP_TOKEN,
    routing: { fallbackOrgId: setup.fallbackOrgId },
    retention: { hubPolicy: HUB_POLICY },
    clientAddress: () => "192.0.2.1",
    rateLimits: { authPerIpPerMinute: 1_000_000, perTokenPerMinute: 1_000_000 },
    ...overrides,
  };
  const app = createApp(deps);
  return {
    app,
    database,
    setup,
    async token(role, orgId = null) {
      const { token, id } = newApiToken();
      const now = Date.now();
      await insertApiToken(database.db, {
        id,
        tokenHash: tokenHash(token),
        subject: `test-${role}-${orgId ?? "hub"}`,
        role,
        orgId,
        createdBy: "test",
        createdAt: now,
        expiresAt: now + 3_600_000,
      });
      return token;
    },
    close: () => database.close(),
  };
}
