import { describe, expect, it } from "vitest";
import { MatrixEvent } from "matrix-js-sdk";
import { perRoomQueue } from "../../../core/matrix/per-room-scheduler.ts";

const event = (roomId: string, type: string, content: Record<string, unknown> = {}): MatrixEvent =>
  new MatrixEvent({ room_id: roomId, type, content, sender: "@bot:hub", event_id: `$${type}` });

describe("the bot's send queues", () => {
  it("queues messages per room, so one room's sends never wait for another's", () => {
    expect(perRoomQueue(event("!a:hub", "m.room.message"))).toBe("message:!a:hub");
    expect(perRoomQueue(event("!b:hub", "m.room.message"))).toBe("message:!b:hub");
  });

  it("keeps a redaction or relation behind the messages of its own room", () => {
    const redaction = new MatrixEvent({ room_id: "!a:hub", type: "m.room.redaction", redacts: "$x", content: {} });
    expect(perRoomQueue(redaction)).toBe("message:!a:hub");
    const reaction = event("!a:hub", "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: "$x" } });
    expect(perRoomQueue(reaction)).toBe("message:!a:hub");
  });

  it("leaves unqueued what the SDK does not queue (state events)", () => {
    expect(perRoomQueue(event("!a:hub", "m.room.topic"))).toBeNull();
  });
});
