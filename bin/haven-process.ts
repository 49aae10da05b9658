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

export interface HavenProcess {
  stop(): Promise<void>;
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
export async function startHaven(config: Config, logger: Logger): Promise<HavenProcess> {
  const database = await openDatabase({ url: config.database.url?.reveal(), dataDir: config.dataDir, logger });
  const started: { bots: BotClient[]; intake?: IntakeBot } = { bots: [] };
  const stop = async (): Promise<void> => {
    await started.intake?.stop();
    for (const bot of started.bots) await bot.stop();
    await database.close();
  };
  try {
    await seedDirectory(database, config, logger);
    const storageKey = config.crypto.storageKey
      ? decodeStorageKey(config.crypto.storageKey.reveal())
      : await loadOrCreateStorageKey(config.dataDir);
    const account = config.bots.intake;
    const intakeClient = await startBotClient({
      homeserverUrl: config.hub.clientUrl,
      userId: account.userId,
      ...(account.password && { password: account.password.reveal() }),
      ...(account.accessToken && { accessToken: account.accessToken.reveal() }),
      ...(account.deviceDisplayName && { deviceDisplayName: account.deviceDisplayName }),
      ...(config.crypto.recoveryKey && { recoveryKey: config.crypto.recoveryKey.reveal() }),
      stateDir: botStateDir(config.dataDir, account.userId),
      storageKey,
      logger: logger.child({ bot: "intake" }),
    });
    started.bots.push(intakeClient);
    started.intake = startIntakeBot({
      bot: intakeClient,
      db: database.db,
      ledger: databaseEventLedger(database.db, intakeClient.userId),
      logger: logger.child({ bot: "intake" }),
      services: () => listServices(database.db),
      retentionMs: config.retention.defaultMaxLifetime,
      allowedServers: [config.hub.serverName, ...config.federation.allowedServers],
    });
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ intake: config.bots.intake.userId }, "haven ready");
  return { stop };
}
