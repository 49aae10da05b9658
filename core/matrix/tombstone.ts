import type { MatrixClient } from "matrix-js-sdk";

/**
 * Marks a room as ended for good (`m.room.tombstone`): every member's client shows it closed, on every server in
 * the room, including partner servers where Haven cannot delete anything. No replacement room: nothing continues.
 * Needs the power to send state in the room; does nothing when the room already carries a tombstone.
 */
export async function tombstoneRoom(client: MatrixClient, roomId: string, body: string): Promise<boolean> {
  const existing = await client.getStateEvent(roomId, "m.room.tombstone", "").catch((error: unknown) => {
    if ((error as { httpStatus?: number }).httpStatus === 404) return undefined;
    throw error;
  });
  if (existing !== undefined && Object.keys(existing).length > 0) return false;
  await client.sendStateEvent(roomId, "m.room.tombstone" as never, { body, replacement_room: "" } as never, "");
  return true;
}
