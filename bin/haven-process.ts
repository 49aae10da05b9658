import type { Logger } from "pino";
import type { Config } from "../config/types.ts";
import { openDatabase, type HavenDatabase } from "../core/db/open.ts";
import { databaseEventLedger } from "../core/db/event-ledger.ts";
import { countServices, listServices, replaceAllServices } from "../core/db/repositories/services.ts";
import { startBotClient, type BotClient } from "../core/matrix/bot-client.ts";
import { botStateDir } from "../core/matrix/bot-files.ts";
import { decodeStorageKey, loadOrCreateStorageKey } from "../core/matrix/storage-key.ts";
import { loadDirectoryFile } from "../config/load-directory.ts";
import { startIntakeBot, type IntakeBot } from "../bots/intake/intake-bot.ts";
import { startRouterBot, type RouterBot } from "../bots/router/router-bot.ts";
import { engineRouting } from "../bots/router/engine-routing.ts";
import { listOrganisations, replaceAllOrganisations, setQueueRoom } from "../core/db/repositories/organisations.ts";
import { loadOrganisationsFile, type OrganisationsSetup } from "../config/load-organisations.ts";
import { listRoutingRules, seedRoutingRules } from "../core/db/repositories/routing-rules.ts";
import { startBridge, type Bridge } from "../bridge/start-bridge.ts";
import { synapseAdmin } from "../core/matrix/synapse-admin.ts";
import type { RetentionPolicy } from "../core/retention/policy.ts";
import { startRetention, type Retention } from "../bots/retention/start-retention.ts";
import type { ErasureResult } from "../bots/retention/erase-case.ts";
import { startWebchatFromConfig } from "../webchat/server/start-from-config.ts";
import { intakeQuickExitEraser } from "./webchat-erasure.ts";
import type { Webchat } from "../webchat/server/webchat-server.ts";
import { createApp } from "../admin/app.ts";
import type { LiveFigures, ReadinessCheck } from "../admin/deps.ts";
import { trackSyncLag, type SyncLagTracker } from "../core/matrix/sync-lag.ts";
import type { RelayedFigure } from "../bridge/context.ts";
import { recentSamples } from "./recent-samples.ts";
import { federationOpenidUserinfo } from "../admin/federation-openid.ts";
import { startAdminServer, type AdminServer } from "../admin/server.ts";
import { safeError } from "../core/log/safe-error.ts";

export interface HavenProcess {
  /** Erasure by request (the admin API's right to erasure); undefined without hub.adminToken. */
  readonly eraseCase?: (caseId: string, actor: string) => Promise<ErasureResult>;
  stop(): Promise<void>;
}

function hubRetentionPolicy(config: Config): RetentionPolicy {
  const r = config.retention;
  return {
    messageLifetimeMs: r.defaultMaxLifetime,
    graceAfterCloseMs: r.graceAfterClose,
    mediaLifetimeMs: r.mediaLifetime ?? r.defaultMaxLifetime,
    metadataLifetimeMs: r.metadataLifetime,
  };
}

async function seedDirectory(database: HavenDatabase, config: Config, logger: Logger): Promise<void> {
  const seedFile = config.directory.seedFile;
  if (seedFile === undefined || (await countServices(database.db)) > 0) return;
  const services = loadDirectoryFile(seedFile);
  await replaceAllServices(database.db, services);
  logger.info({ services: services.length, seedFile }, "service directory seeded");
}

/**
 * The composition root of the Haven process: opens the database, starts the bot devices and their
 * behaviour, and returns the one handle that stops them all. Reads no files of its own beyond the config's.
 */
type BotAccount = Config["bots"]["intake"];

function botOptions(config: Config, account: BotAccount, storageKey: Uint8Array, logger: Logger, role: string) {
  return {
    homeserverUrl: config.hub.clientUrl,
    userId: account.userId,
    ...(account.password && { password: account.password.reveal() }),
    ...(account.accessToken && { accessToken: account.accessToken.reveal() }),
    ...(account.deviceDisplayName && { deviceDisplayName: account.deviceDisplayName }),
    ...(config.crypto.recoveryKey && { recoveryKey: config.crypto.recoveryKey.reveal() }),
    stateDir: botStateDir(config.dataDir, account.userId),
    storageKey,
    logger: logger.child({ bot: role }),
  };
}

/**
 * Organisations and routing rules are imported once (then edited through the admin API; decision 0017); the
 * fallback comes from the file on every start.
 */
async function loadRouting(database: HavenDatabase, file: string, logger: Logger): Promise<OrganisationsSetup> {
  const setup = loadOrganisationsFile(file);
  if ((await listOrganisations(database.db)).length === 0) {
    await replaceAllOrganisations(database.db, setup.organisations);
    logger.info({ organisations: setup.organisations.length, file }, "partner organisations imported");
  }
  if (await seedRoutingRules(database.db, setup.rules, Date.now())) {
    logger.info({ rules: setup.rules.length, file }, "routing rules imported");
  }
  return setup;
}

const SYNCING_STATES: ReadonlySet<string> = new Set(["PREPARED", "SYNCING", "CATCHUP"]);

function readinessChecks(config: Config, bots: readonly BotClient[]): ReadinessCheck[] {
  return [
    {
      name: "hub",
      check: async () =>
        (await fetch(`${config.hub.clientUrl}/_matrix/client/versions`, { signal: AbortSignal.timeout(5_000) })).ok,
    },
    {
      name: "bots",
      check: () =>
        Promise.resolve(bots.length > 0 && bots.every((bot) => SYNCING_STATES.has(bot.client.getSyncState() ?? ""))),
    },
  ];
}

/**
 * The admin API on its own port. Erasure goes to the retention worker once it runs (it starts after the API);
 * transfers are recorded in the database (core/db/case-offer.ts) and posted by the router, which runs when
 * routing is configured.
 */
async function startAdmin(
  config: Config,
  database: HavenDatabase,
  setup: OrganisationsSetup | undefined,
  bots: readonly BotClient[],
  logger: Logger,
  retention: () => Retention | undefined,
  liveFigures: LiveFigures,
): Promise<AdminServer | undefined> {
  const adminLogger = logger.child({ component: "admin" });
  const app = createApp({
    db: database.db,
    now: Date.now,
    coalitionServers: [config.hub.serverName, ...config.federation.allowedServers],
    openidUserinfo: federationOpenidUserinfo(),
    bootstrapToken: config.admin.bootstrapToken?.reveal(),
    routing: setup && { fallbackOrgId: setup.fallbackOrgId },
    readiness: readinessChecks(config, bots),
    liveFigures,
    retention: {
      hubPolicy: hubRetentionPolicy(config),
      // The worker reads overrides on every sweep; one now puts a changed policy into the rooms without waiting.
      policyChanged: () =>
        void retention()
          ?.runOnce()
          .catch((error: unknown) => adminLogger.error({ error: safeError(error) }, "retention sweep failed")),
    },
    eraseCase: async (caseCode, actor) => {
      const worker = retention();
      if (worker === undefined) {
        return { ok: false, reason: "conflict", detail: "erasure needs hub.adminToken (the retention worker is off)" };
      }
      const erased = await worker.eraseCase(caseCode, actor);
      return erased.ok ? { ok: true } : { ok: false, reason: "not-found", detail: `no case ${caseCode}` };
    },
    logError: (fields, message) => adminLogger.error(fields, message),
  });
  try {
    const server = await startAdminServer(app, { host: config.admin.host, port: config.admin.port });
    adminLogger.info({ host: config.admin.host, port: server.port }, "admin API listening");
    return server;
  } catch (error) {
    // Survivors must still be answered when the admin port is taken: the bots run, the API does not.
    adminLogger.error({ error: safeError(error), port: config.admin.port }, "admin API not started");
    return undefined;
  }
}

/**
 * The composition root of the Haven process: opens the database, starts the bot devices and their
 * behaviour, and returns the one handle that stops them all. Reads no files of its own beyond the config's.
 */
export async function startHaven(
  config: Config,
  logger: Logger,
  options: { onFatal?: (error: unknown) => void } = {},
): Promise<HavenProcess> {
  const fatal = options.onFatal ? { onFatal: options.onFatal } : {};
  const database = await openDatabase({ url: config.database.url?.reveal(), dataDir: config.dataDir, logger });
  const started: {
    bots: BotClient[];
    intake?: IntakeBot;
    router?: RouterBot;
    bridge?: Bridge;
    retention?: Retention;
    webchat?: Webchat;
    admin?: AdminServer;
  } = { bots: [] };
  // Figures for the admin API's metrics that only the running bots and bridge know.
  const relayed = recentSamples<RelayedFigure>(10_000);
  const syncLag = new Map<string, SyncLagTracker>();
  const stop = async (): Promise<void> => {
    for (const tracker of syncLag.values()) tracker.stop();
    await started.admin?.stop();
    await started.webchat?.stop();
    await started.bridge?.stop();
    await started.intake?.stop();
    await started.retention?.stop();
    await started.router?.stop();
    for (const bot of started.bots) await bot.stop();
    await database.close();
  };
  try {
    await seedDirectory(database, config, logger);
    const { organisationsFile, monitorsRoomId } = config.routing;
    const setup = organisationsFile === undefined ? undefined : await loadRouting(database, organisationsFile, logger);
    const admin = await startAdmin(config, database, setup, started.bots, logger, () => started.retention, {
      relayLatencies: () => relayed.values().map(({ from, latencyMs }) => ({ from, seconds: latencyMs / 1000 })),
      botSync: () => [...syncLag].map(([bot, tracker]) => ({ bot, ...tracker.figures() })),
    });
    if (admin !== undefined) started.admin = admin;
    const storageKey = config.crypto.storageKey
      ? decodeStorageKey(config.crypto.storageKey.reveal())
      : await loadOrCreateStorageKey(config.dataDir);
    const intakeClient = await startBotClient(botOptions(config, config.bots.intake, storageKey, logger, "intake"));
    started.bots.push(intakeClient);
    syncLag.set("intake", trackSyncLag(intakeClient.client));
    // The router starts after retention; its client redacts expired offers in queue rooms once it is there.
    let routerClient: BotClient | undefined;
    const adminToken = config.hub.adminToken?.reveal();
    if (adminToken === undefined) {
      logger.warn("hub.adminToken is not set: no retention worker, and quick exit cannot purge rooms on the hub");
    } else {
      started.retention = startRetention({
        client: intakeClient.client,
        db: database.db,
        admin: synapseAdmin({ clientUrl: config.hub.clientUrl, accessToken: adminToken }),
        logger: logger.child({ worker: "retention" }),
        hubPolicy: hubRetentionPolicy(config),
        sweepIntervalMs: config.retention.sweepInterval,
        requestsPerSecond: config.retention.requestsPerSecond,
        offerRedacter: () => routerClient?.client,
      });
    }
    const retention = started.retention;
    started.intake = startIntakeBot({
      bot: intakeClient,
      db: database.db,
      ledger: databaseEventLedger(database.db, intakeClient.userId),
      logger: logger.child({ bot: "intake" }),
      services: () => listServices(database.db),
      retentionMs: config.retention.defaultMaxLifetime,
      allowedServers: [config.hub.serverName, ...config.federation.allowedServers],
      ...(retention && { erasure: retention }),
      ...fatal,
      // The router starts after the intake bot; until it runs (or without one) cases wait for its first poll.
      handOff: { caseWaiting: (code) => void started.router?.caseWaiting(code) },
    });

    if (setup === undefined) {
      logger.warn("routing.organisationsFile is not set: the router does not run and cases wait unrouted");
    } else {
      const routerLogger = logger.child({ bot: "router" });
      routerClient = await startBotClient(botOptions(config, config.bots.router, storageKey, logger, "router"));
      started.bots.push(routerClient);
      syncLag.set("router", trackSyncLag(routerClient.client));
      started.router = startRouterBot({
        bot: routerClient,
        db: database.db,
        ledger: databaseEventLedger(database.db, routerClient.userId),
        logger: routerLogger,
        organisations: () => listOrganisations(database.db),
        linkQueueRoom: async (orgId, roomId) => void (await setQueueRoom(database.db, orgId, roomId)),
        ...engineRouting({
          db: database.db,
          logger: routerLogger,
          rules: () => listRoutingRules(database.db),
          fallbackOrgId: setup.fallbackOrgId,
          now: Date.now,
        }),
        ...(monitorsRoomId !== undefined && { monitorsRoomId }),
        ...fatal,
        monitorsLanguage: config.routing.monitorsLanguage,
        waitingPollMs: config.routing.waitingPoll,
      });
      started.bridge = startBridge({
        bot: intakeClient,
        db: database.db,
        ledger: databaseEventLedger(database.db, `${intakeClient.userId}#bridge`),
        logger: logger.child({ component: "bridge" }),
        organisations: () => listOrganisations(database.db),
        retentionMs: config.retention.defaultMaxLifetime,
        maxMessageBytes: config.bridge.maxMessageBytes,
        mediaMaxBytes: config.bridge.mediaMaxBytes,
        ...fatal,
        onRelayed: (figure) => relayed.add(figure),
        relayTyping: config.bridge.relayTyping,
        relayReceipts: config.bridge.relayReceipts,
      });
    }

    if (config.webchat.enabled) {
      const webchatLogger = logger.child({ part: "webchat" });
      started.webchat = await startWebchatFromConfig(config, {
        db: database.db,
        logger: webchatLogger,
        // Replace with the retention worker's erasure (issue #9) when it lands; the web chat then also
        // deactivates her hub account with Synapse's erase flag and forgets her code.
        eraseSurvivor: intakeQuickExitEraser({
          intake: intakeClient,
          db: database.db,
          logger: webchatLogger,
          ...(started.retention && { erasure: started.retention }),
        }),
      });
      logger.info({ url: started.webchat.url }, "web chat listening");
    }
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info(
    {
      intake: config.bots.intake.userId,
      router: started.router !== undefined,
      bridge: started.bridge !== undefined,
      retention: started.retention !== undefined,
    },
    "haven ready",
  );
  const retention = started.retention;
  return {
    stop,
    ...(retention && { eraseCase: (caseId: string, actor: string) => retention.eraseCase(caseId, actor) }),
  };
}
