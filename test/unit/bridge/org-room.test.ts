import { describe, expect, it } from "vitest";
import { orgRoomOptions, relayStateType } from "../../../bridge/org-room.ts";

describe("bridge: the org-side room", () => {
  const options = orgRoomOptions({ code: "K7Q2-M4X9", orgId: "ngo-a", locale: "en", retentionMs: 86_400_000 });
  const state = (type: string) => options.initial_state?.find((event) => event.type === type)?.content;

  it("is private, encrypted, expiring, version 12, and named by the case code only", () => {
    expect(options.room_version).toBe("12");
    expect(options.name).toBe("Case K7Q2-M4X9");
    expect(options.invite).toBeUndefined();
    expect(orgRoomOptions({ code: "K7Q2-M4X9", orgId: "ngo-km", locale: "km", retentionMs: 1 }).name).toBe(
      "ករណី K7Q2-M4X9",
    );
    expect(state("m.room.encryption")).toEqual({ algorithm: "m.megolm.v1.aes-sha2" });
    expect(state("m.room.join_rules")).toEqual({ join_rule: "invite" });
    expect(state("m.room.history_visibility")).toEqual({ history_visibility: "joined" });
    expect(state("m.room.guest_access")).toEqual({ guest_access: "forbidden" });
    expect(state("m.room.retention")).toEqual({ max_lifetime: 86_400_000 });
    expect(state(relayStateType)).toEqual({ case_id: "K7Q2-M4X9", org_id: "ngo-a" });
  });

  it("leaves responders able to write and nothing else", () => {
    const levels = options.power_level_content_override!;
    expect(levels.users).toEqual({});
    expect(levels.users_default).toBe(0);
    expect(levels.events_default).toBe(0);
    for (const action of ["state_default", "invite", "kick", "ban", "redact"] as const)
      expect(levels[action]).toBe(100);
    expect(levels.events?.[relayStateType]).toBe(100);
    expect(levels.events?.["m.room.history_visibility"]).toBe(100);
  });
});
