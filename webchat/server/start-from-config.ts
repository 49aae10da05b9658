import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Config } from "../../config/types.ts";
import { projectRoot } from "../../config/project-root.ts";
import type { Database } from "../../core/db/schema.ts";
import { loadOrCreatePepper, scryptCodeHasher } from "./code-hash.ts";
import { synapseHubAccounts } from "./hub-accounts.ts";
import { fixedWindowLimiter } from "./rate-limiter.ts";
import { trustedProxies } from "./client-address.ts";
import { startWebchat, type Webchat } from "./webchat-server.ts";

const hour = 60 * 60 * 1000;

/** The web chat as the config describes it; the Haven process calls this when `webchat.enabled`. */
export async function startWebchatFromConfig(
  config: Config,
  deps: { db: Kysely<Database>; logger: Logger; eraseSurvivor: (userId: string) => Promise<void> },
): Promise<Webchat> {
  const { webchat, hub } = config;
  const adminToken = hub.adminToken?.reveal();
  if (adminToken === undefined) throw new Error("webchat.enabled needs hub.adminToken");
  const assetsDir = webchat.assetsDir ?? join(projectRoot, "webchat", "dist");
  if (!existsSync(join(assetsDir, "index.html"))) {
    throw new Error(`the web chat is not built: no ${join(assetsDir, "index.html")} (run npm run build:webchat)`);
  }
  const pepper = await loadOrCreatePepper(config.dataDir, webchat.codePepper?.reveal());
  return startWebchat({
    host: webchat.host,
    port: webchat.port,
    ...(webchat.publicOrigin !== undefined && { publicOrigin: webchat.publicOrigin }),
    title: webchat.title,
    exitUrl: webchat.exitUrl,
    intakeUserId: config.bots.intake.userId,
    hubClientUrl: hub.clientUrl,
    assetsDir,
    trustedProxies: trustedProxies(webchat.trustedProxies),
    db: deps.db,
    hub: synapseHubAccounts({ clientUrl: hub.clientUrl, serverName: hub.serverName, adminToken }),
    hashCode: scryptCodeHasher(pepper),
    accountLimiter: fixedWindowLimiter({
      perKey: webchat.accountsPerAddressPerHour,
      overall: webchat.accountsPerHour,
      windowMs: hour,
      now: Date.now,
    }),
    codeLimiter: fixedWindowLimiter({
      perKey: webchat.codeAttemptsPerAddressPerHour,
      overall: webchat.codeAttemptsPerHour,
      windowMs: hour,
      now: Date.now,
    }),
    eraseSurvivor: deps.eraseSurvivor,
    now: Date.now,
    logger: deps.logger,
  });
}
