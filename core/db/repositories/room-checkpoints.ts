// Room checkpoints: how far each bot got in each room's timeline.
import type { NewRoomCheckpoint, RoomCheckpoint } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export async function getRoomCheckpoint(
  db: DbExecutor,
  botUserId: string,
  roomId: string,
): Promise<RoomCheckpoint | undefined> {
  return db
    .selectFrom("room_checkpoints")
    .selectAll()
    .where("bot_user_id", "=", botUserId)
    .where("room_id", "=", roomId)
    .executeTakeFirst();
}

/**
 * Records `checkpoint` unless the stored one is at the same origin_ts or later, so that a late or
 * replayed event never moves a checkpoint back. Returns whether it was written.
 */
export async function advanceRoomCheckpoint(db: DbExecutor, checkpoint: NewRoomCheckpoint): Promise<boolean> {
  const written = await db
    .insertInto("room_checkpoints")
    .values(checkpoint)
    .onConflict((conflict) =>
      conflict
        .columns(["bot_user_id", "room_id"])
        .doUpdateSet((eb) => ({
          last_event_id: eb.ref("excluded.last_event_id"),
          last_origin_ts: eb.ref("excluded.last_origin_ts"),
          updated_at: eb.ref("excluded.updated_at"),
        }))
        .where("room_checkpoints.last_origin_ts", "<", (eb) => eb.ref("excluded.last_origin_ts")),
    )
    .returning("room_id")
    .executeTakeFirst();
  return written !== undefined;
}
