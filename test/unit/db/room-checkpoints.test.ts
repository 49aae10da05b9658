import { describe, expect, it } from "vitest";
import { advanceRoomCheckpoint, getRoomCheckpoint } from "../../../core/db/repositories/room-checkpoints.ts";
import type { NewRoomCheckpoint } from "../../../core/db/schema.ts";
import { T0 } from "./fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "./targets.ts";

const BOT = "@router:hub.test";
const ROOM = "!queue:org-a.test";

const at = (originTs: number, eventId: string, overrides: Partial<NewRoomCheckpoint> = {}): NewRoomCheckpoint => ({
  bot_user_id: BOT,
  room_id: ROOM,
  last_event_id: eventId,
  last_origin_ts: originTs,
  updated_at: T0 + 1_000,
  ...overrides,
});

describe.each(ALL_TARGETS)("room checkpoints on $name", (target) => {
  const databases = freshDatabases(target);

  it("records the first checkpoint and moves it forward", async () => {
    const { db } = await databases.open();
    expect(await getRoomCheckpoint(db, BOT, ROOM)).toBeUndefined();
    expect(await advanceRoomCheckpoint(db, at(T0, "$1"))).toBe(true);
    expect(await advanceRoomCheckpoint(db, at(T0 + 10, "$2", { updated_at: T0 + 2_000 }))).toBe(true);
    expect(await getRoomCheckpoint(db, BOT, ROOM)).toEqual(at(T0 + 10, "$2", { updated_at: T0 + 2_000 }));
  });

  it("never moves back, nor sideways to another event of the same time", async () => {
    const { db } = await databases.open();
    await advanceRoomCheckpoint(db, at(T0 + 10, "$2"));
    expect(await advanceRoomCheckpoint(db, at(T0 + 5, "$1", { updated_at: T0 + 3_000 }))).toBe(false);
    expect(await advanceRoomCheckpoint(db, at(T0 + 10, "$2b", { updated_at: T0 + 3_000 }))).toBe(false);
    expect(await getRoomCheckpoint(db, BOT, ROOM)).toEqual(at(T0 + 10, "$2"));
  });

  it("keeps one checkpoint per bot and room", async () => {
    const { db } = await databases.open();
    await advanceRoomCheckpoint(db, at(T0 + 10, "$late"));
    expect(await advanceRoomCheckpoint(db, at(T0, "$other-bot", { bot_user_id: "@intake:hub.test" }))).toBe(true);
    expect(await advanceRoomCheckpoint(db, at(T0, "$other-room", { room_id: "!case:hub.test" }))).toBe(true);
    expect((await getRoomCheckpoint(db, BOT, ROOM))?.last_event_id).toBe("$late");
    expect((await getRoomCheckpoint(db, "@intake:hub.test", ROOM))?.last_event_id).toBe("$other-bot");
    expect((await getRoomCheckpoint(db, BOT, "!case:hub.test"))?.last_event_id).toBe("$other-room");
  });
});
