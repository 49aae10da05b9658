import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { Direction, EventType, MsgType, type MatrixClient, type Room } from "matrix-js-sdk";
import type { Database } from "../../core/db/schema.ts";
import type { PurgePoint } from "../../core/matrix/synapse-admin.ts";
import { deleteIntakeConversation } from "../../core/db/repositories/intake-conversations.ts";
import { getOpenCaseBySurvivor } from "../../core/db/repositories/cases.ts";
import { moveCase } from "../../core/db/case-transitions.ts";
import { safeError } from "../../core/log/safe-error.ts";

/** Who erasure names as its actor when she asks for it herself: never her Matrix ID. */
export const SURVIVOR_ACTOR = "survivor";

/** What the retention side does for a quick exit (wired by the composition root). */
export interface QuickExitErasure {
  /** Erases every case of hers: her case rooms redacted and deleted on the hub, the organisations told. */
  eraseSurvivorCases(survivorMxid: string, actor: string): Promise<number>;
  /** Purges the room's history on the hub before `upToTs`. */
  purgeHistory(roomId: string, upTo: PurgePoint): Promise<void>;
}

export interface QuickExitInput {
  client: MatrixClient;
  db: Kysely<Database>;
  logger: Logger;
  room: Room;
  survivor: string;
  botUserId: string;
  /** The last words she sees, in her language: how to clear her app. */
  farewell: string;
  farewellTxnId: string;
  erasure?: QuickExitErasure;
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
      logger.debug({ roomId: room.roomId, err: safeError(error) }, "could not redact an event");
    }
  }
  return redacted;
}

/** Without the retention side (no hub admin token): her open case's room emptied and closed to her. */
async function eraseOpenCaseHere(input: QuickExitInput): Promise<string | undefined> {
  const { client, db, logger, survivor } = input;
  const open = await getOpenCaseBySurvivor(db, survivor);
  if (!open) return undefined;
  const caseRoom = open.survivor_room_id ? client.getRoom(open.survivor_room_id) : null;
  if (caseRoom) {
    await redactMessages(client, caseRoom, logger);
    await client.kick(caseRoom.roomId, survivor).catch(() => undefined);
  }
  await moveCase(db, { code: open.id, to: "erased", actor: SURVIVOR_ACTOR, at: Date.now(), reason: "quick-exit" });
  await db.updateTable("cases").set({ survivor_mxid: null }).where("id", "=", open.id).execute();
  return open.id;
}

/**
 * Her quick exit, in one step: every message in her DM redacted, her conversation state forgotten, every case of
 * hers erased (see eraseCase), the farewell sent, and the DM's history before it purged on the hub. The bot
 * leaves the DM afterwards (the caller's part).
 */
export async function quickExit(input: QuickExitInput): Promise<void> {
  const { client, db, logger, room, survivor, erasure } = input;
  const redacted = await redactMessages(client, room, logger);
  await deleteIntakeConversation(db, survivor);
  const erased = erasure
    ? await erasure.eraseSurvivorCases(survivor, SURVIVOR_ACTOR)
    : (await eraseOpenCaseHere(input)) === undefined
      ? 0
      : 1;
  const farewell = await client.sendMessage(
    room.roomId,
    { msgtype: MsgType.Text, body: input.farewell },
    input.farewellTxnId,
  );
  if (erasure) {
    await erasure
      .purgeHistory(room.roomId, { eventId: farewell.event_id })
      .catch((error: unknown) => logger.warn({ err: safeError(error) }, "quick exit: the DM was not purged"));
  }
  logger.info({ redacted, erasedCases: erased }, "quick exit");
}
