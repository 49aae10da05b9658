import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { KnownMembership } from "matrix-js-sdk";
import { quickExit } from "../bots/intake/quick-exit.ts";
import type { Database } from "../core/db/schema.ts";
import type { BotClient } from "../core/matrix/bot-client.ts";

/**
 * "Exit and erase" from the web chat, until the retention worker's erasure exists (issue #9): the intake bot's own
 * quick exit, as if she had written "exit" in her DM (the DM she created with the bot): its messages redacted, her
 * conversation forgotten, an open case erased. Then the bot leaves the DM. Purging the rooms on the hub and telling
 * a partner organisation are the retention worker's part; swap this for its function when it lands.
 */
export function intakeQuickExitEraser(deps: {
  intake: BotClient;
  db: Kysely<Database>;
  logger: Logger;
}): (survivor: string) => Promise<void> {
  const { intake, db, logger } = deps;
  return async (survivor) => {
    const client = intake.client;
    const dm = client
      .getRooms()
      .find(
        (room) =>
          room.getMyMembership() === (KnownMembership.Join as string) &&
          room.getCreator() === survivor &&
          room.getMember(survivor) !== null,
      );
    if (dm === undefined) {
      logger.warn("exit and erase: no DM with the intake bot found for this web chat account");
      return;
    }
    await quickExit({ client, db, logger, room: dm, survivor, botUserId: intake.userId });
    await client.leave(dm.roomId);
  };
}
