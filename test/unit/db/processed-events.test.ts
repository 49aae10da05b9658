import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { deleteProcessedEventsBefore, markEventProcessed } from "../../../core/db/repositories/processed-events.ts";
import type { NewProcessedEvent } from "../../../core/db/schema.ts";
import { T0 } from "./fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "./targets.ts";

const event = (eventId: string, overrides: Partial<NewProcessedEvent> = {}): NewProcessedEvent => ({
  bot_user_id: "@intake:hub.test",
  event_id: eventId,
  room_id: "!dm:hub.test",
  processed_at: T0,
  ...overrides,
});

describe.each(ALL_TARGETS)("processed events on $name", (target) => {
  const databases = freshDatabases(target);

  it("says an event is new only the first time, per bot", async () => {
    const { db } = await databases.open();
    expect(await markEventProcessed(db, event("$a"))).toBe(true);
    expect(await markEventProcessed(db, event("$a", { processed_at: T0 + 1 }))).toBe(false);
    expect(await markEventProcessed(db, event("$a", { bot_user_id: "@router:hub.test" }))).toBe(true);
    expect(await markEventProcessed(db, event("$b"))).toBe(true);
  });

  it("gives exactly one 'new' to 20 concurrent attempts, each in its own transaction", async () => {
    const { db, dialect } = await databases.open();
    // On PostgreSQL each attempt holds its transaction open a moment, so the others hit the uncommitted row.
    const linger = dialect === "postgres" ? sql`select pg_sleep(0.05)` : sql`select 1`;
    const attempts = Array.from({ length: 20 }, (_, index) =>
      db.transaction().execute(async (trx) => {
        const isNew = await markEventProcessed(trx, event("$raced", { processed_at: T0 + index }));
        await linger.execute(trx);
        return isNew;
      }),
    );
    const results = await Promise.all(attempts);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await db.selectFrom("processed_events").select("event_id").execute()).toEqual([{ event_id: "$raced" }]);
  });

  it("forgets events processed before a cutoff", async () => {
    const { db } = await databases.open();
    await markEventProcessed(db, event("$old", { processed_at: T0 }));
    await markEventProcessed(db, event("$new", { processed_at: T0 + 10 }));
    expect(await deleteProcessedEventsBefore(db, T0 + 10)).toBe(1);
    expect(await markEventProcessed(db, event("$old"))).toBe(true);
    expect(await markEventProcessed(db, event("$new"))).toBe(false);
  });
});
