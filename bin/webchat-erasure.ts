import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { KnownMembership } from "matrix-js-sdk";
import { quickExit, type QuickExitInput } from "../bots/intake/quick-exit.ts";
import { translate } from "../core/i18n/translate.ts";
import type { Database } from "../core/db/schema.ts";
import type { BotClient } from "../core/matrix/bot-client.ts";

/**
 * "Exit and erase" from the web chat: the intake bot's own quick exit, as if she had written "exit" in her DM (the
 * DM she created with the bot): its messages redacted, her conversation forgotten, her cases erased through the
 * retention worker when it runs (rooms purged on the hub, the organisation told). Then the bot leaves the DM.
 */
export function intakeQuickExitEraser(deps: {
  intake: BotClient;
  db: Kysely<Database>;
  logger: Logger;
  /** The retention worker's erasure (rooms purged on the hub, the organisation told); absent without an admin token. */
  erasure?: QuickExitInput["erasure"];
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
    await quickExit({
      client,
      db,
      logger,
      room: dm,
      survivor,
      botUserId: intake.userId,
      // She has already left the page: the farewell is for an Element session on the same account, if any.
      farewell: `${translate("km", "exit.done")}\n\n${translate("en", "exit.done")}`,
      farewellTxnId: `webchat-exit-${survivor}`,
      ...(deps.erasure && { erasure: deps.erasure }),
    });
    await client.leave(dm.roomId);
  };
}
