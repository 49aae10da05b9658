import { randomBytes } from "node:crypto";
import type { Logger } from "../../core/log/logger.ts";
import { startBotClient, type BotClient } from "../../core/matrix/bot-client.ts";
import { botStateDir } from "../../core/matrix/bot-files.ts";
import type { Homeserver, RegisteredUser } from "./synapse.ts";

/**
 * A bot device as Haven starts one: an account registered on `server`, its state under `dataDir` sealed with
 * `storageKey` (random unless a test needs to read the state back).
 */
export async function startTestBot(
  server: Homeserver,
  localpart: string,
  dataDir: string,
  logger: Logger,
  storageKey: Uint8Array = randomBytes(32),
): Promise<{ bot: BotClient; account: RegisteredUser }> {
  const account = await server.registerUser(localpart);
  const bot = await startBotClient({
    homeserverUrl: server.clientUrl,
    userId: account.userId,
    password: account.password,
    stateDir: botStateDir(dataDir, account.userId),
    storageKey,
    logger,
  });
  return { bot, account };
}
