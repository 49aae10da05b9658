import type { Logger } from "pino";
import { RoomEvent, type MatrixClient, type Room } from "matrix-js-sdk";

export interface LeftRoomsOptions {
  /** How long a left room stays, so that the handlers still working through its last events find it. */
  graceMs: number;
  logger: Logger;
  now?: () => number;
}

export interface LeftRooms {
  /** Forgets every room left longer than the grace before `at` (now by default); returns how many. */
  sweep(at?: number): Promise<number>;
  stop(): void;
}

const gone = new Set(["leave", "ban"]);

/**
 * Forgets the rooms the bot has left or was removed from (her quick exit, a closed case's rooms once retention
 * deletes them), on the server and in the client's memory. matrix-js-sdk keeps a left room, with every event it
 * decrypted, for as long as the process runs: a running Haven would otherwise hold in memory the words of every
 * conversation since its start, long after retention deleted them, and grow by every case it ever saw.
 */
export function forgetLeftRooms(client: MatrixClient, options: LeftRoomsOptions): LeftRooms {
  const now = options.now ?? Date.now;
  const leftAt = new Map<string, number>();

  const onMyMembership = (room: Room, membership: string): void => {
    if (gone.has(membership)) leftAt.set(room.roomId, leftAt.get(room.roomId) ?? now());
    else leftAt.delete(room.roomId);
  };
  client.on(RoomEvent.MyMembership, onMyMembership);
  const timer = setInterval(() => void sweep(), options.graceMs);
  timer.unref();

  let sweeping: Promise<number> | undefined;
  const sweep = (at = now()): Promise<number> => {
    sweeping ??= (async () => {
      let forgotten = 0;
      for (const [roomId, left] of leftAt) {
        if (at - left < options.graceMs) continue;
        if (!gone.has(client.getRoom(roomId)?.getMyMembership() ?? "leave")) {
          leftAt.delete(roomId);
          continue;
        }
        // The server may refuse (a room retention deleted is gone there): what matters most is this memory.
        await client.forget(roomId, true).catch((error: unknown) => {
          options.logger.debug({ roomId, err: error }, "the server did not forget a left room");
        });
        client.store.removeRoom(roomId);
        leftAt.delete(roomId);
        forgotten++;
      }
      return forgotten;
    })().finally(() => (sweeping = undefined));
    return sweeping;
  };

  return {
    sweep,
    stop() {
      clearInterval(timer);
      client.off(RoomEvent.MyMembership, onMyMembership);
    },
  };
}
