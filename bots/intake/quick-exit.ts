import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { Direction, EventType, type MatrixClient, type Room } from "matrix-js-sdk";
import type { Database } from "../../core/db/schema.ts";
import { deleteIntakeConversation } from "../../core/db/repositories/intake-conversations.ts";
import { getOpenCaseBySurvivor } from "../../core/db/repositories/cases.ts";
import { moveCase } from "../../core/db/case-transitions.ts";

export interface QuickExitInput {
  client: MatrixClient;
  db: Kysely<Database>;
  logger: Logger;
  room: Room;
  survivor: string;
  botUserId: string;
}

async function loadWholeTimeline(client: MatrixClient, room: Room): Promise<void> {
  for (let page = 0; page < 100; page++) {
    if (room.getLiveTimeline().getPaginationToken(Direction.Backward) === null) return;
    await client.scrollback(room, 100);
  }
}

/** Redacts every message in the room this account may redact; returns how many. */
async function redactMessages(client: MatrixClient, room: Room, logger: Logger): Promise<number> {
  await loadWholeTimeline(client, room);
  let redacted = 0;
  for (const event of room.getLiveTimeline().getEvents()) {
    const id = event.getId();
    if (
      id === undefined ||
      event.isState() ||
      event.isRedacted() ||
      event.getType() === (EventType.RoomRedaction as string)
    ) {
      continue;
    }
    try {
      await client.redactEvent(room.roomId, id);
      redacted++;
    } catch (error) {
      logger.debug({ roomId: room.roomId, err: error }, "could not redact an event");
    }
  }
  return redacted;
}

/**
 * Her quick exit as far as the intake bot reaches: its messages (and hers, where it has the power) redacted in
 * her DM, her conversation state forgotten, and an open case erased: its room emptied and closed to her.
 * Purging the rooms on the hub and telling a partner organisation is the retention worker's part.
 */
export async function quickExit(input: QuickExitInput): Promise<void> {
  const { client, db, logger, room, survivor } = input;
  const redacted = await redactMessages(client, room, logger);
  await deleteIntakeConversation(db, survivor);
  const open = await getOpenCaseBySurvivor(db, survivor);
  let caseRoomRedactions = 0;
  if (open) {
    const caseRoom = open.survivor_room_id ? client.getRoom(open.survivor_room_id) : null;
    if (caseRoom) {
      caseRoomRedactions = await redactMessages(client, caseRoom, logger);
      await client.kick(caseRoom.roomId, survivor).catch(() => undefined);
    }
    await moveCase(db, { code: open.id, to: "erased", actor: survivor, at: Date.now(), reason: "quick-exit" });
    await db.updateTable("cases").set({ survivor_mxid: null }).where("id", "=", open.id).execute();
  }
  logger.info({ redacted, caseRoomRedactions, erasedCase: open?.id }, "quick exit");
}
