import { describe, expect, it } from "vitest";
import {
  checkHubPolicy,
  checkOverride,
  effectivePolicy,
  planCaseRetention,
  type RetentionPolicy,
} from "../../../core/retention/index.ts";

const day = 86_400_000;
const hub: RetentionPolicy = {
  messageLifetimeMs: 30 * day,
  graceAfterCloseMs: 7 * day,
  mediaLifetimeMs: 7 * day,
  metadataLifetimeMs: 365 * day,
};

describe("retention policies", () => {
  it("accepts a sound hub policy and names each bad field", () => {
    expect(checkHubPolicy({ ...hub })).toEqual({ ok: true, policy: hub });
    const bad = checkHubPolicy({ ...hub, messageLifetimeMs: -1, graceAfterCloseMs: 1.5, metadataLifetimeMs: 1e15 });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.path)).toEqual(["messageLifetimeMs", "graceAfterCloseMs", "metadataLifetimeMs"]);
  });

  it("refuses media that would outlive the messages carrying them", () => {
    const checked = checkHubPolicy({ ...hub, mediaLifetimeMs: 31 * day });
    expect(checked).toEqual({
      ok: false,
      problems: [{ path: "mediaLifetimeMs", message: "may not be longer than messageLifetimeMs" }],
    });
  });

  it("lets an organisation or category only shorten the hub's lifetimes", () => {
    expect(checkOverride({ messageLifetimeMs: day }, hub)).toEqual({ ok: true, policy: { messageLifetimeMs: day } });
    const longer = checkOverride({ messageLifetimeMs: 60 * day, colour: "red" }, hub);
    expect(longer.ok).toBe(false);
    if (longer.ok) return;
    expect(longer.problems).toEqual([
      { path: "colour", message: "is not a policy field" },
      { path: "messageLifetimeMs", message: `may only shorten the hub's ${30 * day} ms, found ${60 * day}` },
    ]);
  });

  it("takes the shortest lifetime of the hub, the category and the organisation", () => {
    const policy = effectivePolicy(hub, [{ messageLifetimeMs: 3 * day }, undefined, { graceAfterCloseMs: day }]);
    expect(policy).toEqual({ ...hub, messageLifetimeMs: 3 * day, graceAfterCloseMs: day, mediaLifetimeMs: 3 * day });
  });
});

describe("what retention owes a case", () => {
  const now = 1_000 * day;
  const open = { state: "active", endedAt: null, roomsDeleted: false, anonymised: false } as const;

  it("purges an open case's messages older than their lifetime and keeps its rooms and metadata", () => {
    expect(planCaseRetention(open, hub, now)).toEqual({
      purgeBefore: now - 30 * day,
      deleteRooms: false,
      anonymise: false,
    });
  });

  it("deletes a closed case's rooms once the grace has passed, and anonymises it after its metadata lifetime", () => {
    const closed = { ...open, state: "closed", endedAt: now - 2 * day } as const;
    expect(planCaseRetention(closed, hub, now).deleteRooms).toBe(false);
    expect(planCaseRetention({ ...closed, endedAt: now - 7 * day }, hub, now)).toEqual({
      purgeBefore: undefined,
      deleteRooms: true,
      anonymise: false,
    });
    const long = { ...closed, endedAt: now - 365 * day, roomsDeleted: true };
    expect(planCaseRetention(long, hub, now)).toEqual({ purgeBefore: undefined, deleteRooms: false, anonymise: true });
    expect(planCaseRetention({ ...long, anonymised: true }, hub, now).anonymise).toBe(false);
  });

  it("keeps an erased case's remaining (organisation) rooms for the grace, then deletes them", () => {
    const erased = { ...open, state: "erased", endedAt: now } as const;
    expect(planCaseRetention(erased, hub, now)).toEqual({
      purgeBefore: now - 30 * day,
      deleteRooms: false,
      anonymise: false,
    });
    expect(planCaseRetention(erased, hub, now + 7 * day).deleteRooms).toBe(true);
  });
});
