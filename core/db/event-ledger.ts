import type { DbExecutor } from "./repositories/executor.ts";
import { markEventProcessed } from "./repositories/processed-events.ts";
import { advanceRoomCheckpoint, getRoomCheckpoint } from "./repositories/room-checkpoints.ts";

/**
 * One bot's progress through its rooms, kept in the database: the shape core/matrix's room event stream
 * asks for (`EventLedger`), without the database layer depending on the Matrix adapter.
 */
export function databaseEventLedger(db: DbExecutor, botUserId: string, now: () => number = Date.now) {
  return {
    async getCheckpoint(roomId: string) {
      const row = await getRoomCheckpoint(db, botUserId, roomId);
      return row === undefined ? undefined : { eventId: row.last_event_id, originTs: row.last_origin_ts };
    },
    async setCheckpoint(roomId: string, eventId: string, originTs: number) {
      await advanceRoomCheckpoint(db, {
        bot_user_id: botUserId,
        room_id: roomId,
        last_event_id: eventId,
        last_origin_ts: originTs,
        updated_at: now(),
      });
    },
    async isProcessed(eventId: string) {
      const row = await db
        .selectFrom("processed_events")
        .select("event_id")
        .where("bot_user_id", "=", botUserId)
        .where("event_id", "=", eventId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async markProcessed(eventId: string, roomId: string) {
      await markEventProcessed(db, { bot_user_id: botUserId, event_id: eventId, room_id: roomId, processed_at: now() });
    },
  };
}
