import { describe, expect, it } from "vitest";
import { insertCase, getCaseByCode } from "../../../core/db/repositories/cases.ts";
import { appendCaseHistory, listCaseHistory } from "../../../core/db/repositories/case-history.ts";
import { insertRelayRoom, listRelayedEventsForCase, recordRelayedEvent } from "../../../core/db/repositories/relay.ts";
import {
  anonymiseCase,
  findUnfinishedJob,
  forgetSurvivor,
  getRetentionOverride,
  insertRetentionJob,
  lastPurgedUpTo,
  listCasesUnderRetention,
  listRelayRoomsOfCase,
  listUnfinishedJobs,
  setRetentionOverride,
  updateRetentionJob,
} from "../../../core/db/repositories/retention.ts";
import {
  latestEarlierConversationQuestion,
  recordEarlierConversationQuestion,
} from "../../../core/db/repositories/earlier-conversation.ts";
import { T0, newCase } from "./fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "./targets.ts";

describe.each(ALL_TARGETS)("retention repository on $name", (target) => {
  const databases = freshDatabases(target);

  it("stores an override with only the lifetimes it sets, and replaces it", async () => {
    const { db } = await databases.open();
    expect(await getRetentionOverride(db, "org", "ngo-a")).toBeUndefined();
    await setRetentionOverride(db, "org", "ngo-a", { messageLifetimeMs: 5_000 }, T0);
    expect(await getRetentionOverride(db, "org", "ngo-a")).toEqual({ messageLifetimeMs: 5_000 });
    await setRetentionOverride(db, "org", "ngo-a", { graceAfterCloseMs: 0 }, T0 + 1);
    expect(await getRetentionOverride(db, "org", "ngo-a")).toEqual({ graceAfterCloseMs: 0 });
    expect(await getRetentionOverride(db, "category", "ngo-a")).toBeUndefined();
    expect(await getRetentionOverride(db, "org", null)).toBeUndefined();
  });

  it("forgets the survivor at erasure and anonymises the case later, keeping states, times and organisations", async () => {
    const { db } = await databases.open();
    const theCase = newCase({ state: "active", org_id: "ngo-a" });
    const her = theCase.survivor_mxid!;
    await insertCase(db, theCase);
    await appendCaseHistory(db, {
      case_id: theCase.id,
      at: T0,
      from_state: "active",
      to_state: "erased",
      actor: her,
      org_id: "ngo-a",
      reason: "quick-exit",
    });
    await insertRelayRoom(db, { case_id: theCase.id, org_id: "ngo-a", org_room_id: "!org:hub.test", created_at: T0 });
    await recordRelayedEvent(db, {
      source_event_id: "$a",
      source_room_id: "!room:hub.test",
      target_room_id: "!org:hub.test",
      target_event_id: "$b",
      case_id: theCase.id,
      relayed_at: T0,
    });
    await recordEarlierConversationQuestion(db, {
      case_id: theCase.id,
      transfer_id: 1,
      to_org_id: "ngo-a",
      asked_at: T0,
    });

    await forgetSurvivor(db, theCase.id);
    expect(await getCaseByCode(db, theCase.id)).toMatchObject({ survivor_mxid: null, state: "active" });
    expect((await listCaseHistory(db, theCase.id)).map((h) => h.actor)).toEqual(["survivor"]);
    expect(await listRelayedEventsForCase(db, theCase.id)).toEqual([]);
    expect(await listRelayRoomsOfCase(db, theCase.id)).toHaveLength(1);
    expect(await listCasesUnderRetention(db)).toHaveLength(1);

    await anonymiseCase(db, theCase.id, T0 + 10);
    expect(await getCaseByCode(db, theCase.id)).toMatchObject({
      survivor_mxid: null,
      survivor_room_id: null,
      org_id: "ngo-a",
      created_at: T0,
    });
    expect(await listRelayRoomsOfCase(db, theCase.id)).toEqual([]);
    expect(await latestEarlierConversationQuestion(db, theCase.id)).toBeUndefined();
    expect(await listCasesUnderRetention(db)).toEqual([]);
  });

  it("pages through the cases under retention, oldest first", async () => {
    const { db } = await databases.open();
    const cases = [newCase({ created_at: T0 + 2 }), newCase({ created_at: T0 }), newCase({ created_at: T0 })];
    for (const c of cases) await insertCase(db, c);
    const first = await listCasesUnderRetention(db, 2);
    expect(first).toHaveLength(2);
    const last = first.at(-1)!.case;
    const rest = await listCasesUnderRetention(db, 2, { created_at: last.created_at, id: last.id });
    expect([...first, ...rest].map((e) => e.case.id)).toEqual(
      [cases[1]!, cases[2]!]
        .map((c) => c.id)
        .sort()
        .concat(cases[0]!.id),
    );
  });

  it("finds a job left unfinished and knows how far a room was purged", async () => {
    const { db } = await databases.open();
    const job = await insertRetentionJob(db, {
      kind: "purge-history",
      room_id: "!r:hub.test",
      case_id: null,
      up_to_ts: T0,
      at: T0,
    });
    await updateRetentionJob(db, job.id, { status: "running", synapse_id: "abc", at: T0 + 1 });
    expect(await findUnfinishedJob(db, "purge-history", "!r:hub.test")).toMatchObject({ synapse_id: "abc" });
    expect(await findUnfinishedJob(db, "delete-room", "!r:hub.test")).toBeUndefined();
    expect(await lastPurgedUpTo(db, "!r:hub.test")).toBe(0);
    await updateRetentionJob(db, job.id, { status: "done", at: T0 + 2 });
    expect(await listUnfinishedJobs(db)).toEqual([]);
    expect(await lastPurgedUpTo(db, "!r:hub.test")).toBe(T0);
  });
});
