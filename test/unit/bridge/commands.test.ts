import { describe, expect, it } from "vitest";
import { MatrixEvent } from "matrix-js-sdk";
import { staffCommand, survivorCommand } from "../../../bridge/commands.ts";

const message = (body: string, type = "m.room.message"): MatrixEvent =>
  new MatrixEvent({ type, content: { msgtype: "m.text", body }, event_id: "$e", room_id: "!r:hub" });

describe("bridge: the words it acts on instead of relaying", () => {
  it("takes every exit word of the intake bot's, in either language, as her quick exit", () => {
    for (const word of ["exit", "Exit.", "quit", "leave", "ចាកចេញ", "ចាក ចេញ", "ចេញ", "chakchenh"]) {
      expect(survivorCommand(message(word)), word).toBe("exit");
    }
  });

  it("closes on 'close' or 'បិទ', and reads only a whole message as a command", () => {
    expect(survivorCommand(message("close"))).toBe("close");
    expect(survivorCommand(message("បិទ"))).toBe("close");
    for (const other of ["exit please", "I want to leave him", "closed", ""]) {
      expect(survivorCommand(message(other)), other).toBeUndefined();
    }
    expect(survivorCommand(message("exit", "m.reaction"))).toBeUndefined();
  });

  it("takes !close from staff, with or without the case code", () => {
    expect(staffCommand(message("!close"))).toBe("close");
    expect(staffCommand(message("  !CLOSE K7Q2-M4XP "))).toBe("close");
    expect(staffCommand(message("!close now please"))).toBeUndefined();
    expect(staffCommand(message("close"))).toBeUndefined();
  });
});
