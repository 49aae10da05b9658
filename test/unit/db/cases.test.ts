import { describe, expect, it } from "vitest";
import {
  getCaseByCode,
  getOpenCaseBySurvivor,
  insertCase,
  listCasesByState,
  updateCaseState,
} from "../../../core/db/repositories/cases.ts";
import { T0, newCase } from "./fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "./targets.ts";

describe.each(ALL_TARGETS)("cases on $name", (target) => {
  const databases = freshDatabases(target);

  it("stores a case and reads it back by code, with real booleans and numeric times", async () => {
    const { db } = await databases.open();
    const created = newCase({ urgent: true, under18: false, consent_summary: true, created_at: T0 + 1 });
    const inserted = await insertCase(db, created);
    expect(inserted).toEqual({ ok: true, case: created });
    expect(await getCaseByCode(db, created.id)).toEqual(created);
    expect(await getCaseByCode(db, "NOPE-00")).toBeUndefined();
  });

  it("filters on booleans the same way in both dialects", async () => {
    const { db } = await databases.open();
    const urgent = newCase({ urgent: true });
    await insertCase(db, urgent);
    await insertCase(db, newCase({ urgent: false }));
    const rows = await db.selectFrom("cases").select(["id", "urgent"]).where("urgent", "=", true).execute();
    expect(rows).toEqual([{ id: urgent.id, urgent: true }]);
  });

  it("reports a code already in use and leaves the existing case alone", async () => {
    const { db } = await databases.open();
    const first = newCase();
    await insertCase(db, first);
    expect(await insertCase(db, newCase({ id: first.id, locale: "en" }))).toEqual({ ok: false, reason: "code-taken" });
    expect((await getCaseByCode(db, first.id))?.locale).toBe("km");
  });

  it("finds the survivor's newest open case, never a closed or erased one", async () => {
    const { db } = await databases.open();
    const survivor = "@her:hub.test";
    await insertCase(db, newCase({ survivor_mxid: survivor, state: "closed", created_at: T0 + 30 }));
    await insertCase(db, newCase({ survivor_mxid: survivor, state: "erased", created_at: T0 + 40 }));
    await insertCase(db, newCase({ survivor_mxid: "@someone-else:hub.test", state: "active", created_at: T0 + 50 }));
    expect(await getOpenCaseBySurvivor(db, survivor)).toBeUndefined();

    await insertCase(db, newCase({ survivor_mxid: survivor, state: "active", created_at: T0 + 10 }));
    const newest = newCase({ survivor_mxid: survivor, state: "waiting", created_at: T0 + 20 });
    await insertCase(db, newest);
    expect((await getOpenCaseBySurvivor(db, survivor))?.id).toBe(newest.id);
  });

  it("lists the cases in a state, oldest first, up to a limit", async () => {
    const { db } = await databases.open();
    const later = newCase({ state: "waiting", created_at: T0 + 2 });
    const earlier = newCase({ state: "waiting", created_at: T0 + 1 });
    await insertCase(db, later);
    await insertCase(db, earlier);
    await insertCase(db, newCase({ state: "active" }));
    expect((await listCasesByState(db, "waiting")).map((row) => row.id)).toEqual([earlier.id, later.id]);
    expect((await listCasesByState(db, "waiting", 1)).map((row) => row.id)).toEqual([earlier.id]);
    expect(await listCasesByState(db, "closed")).toEqual([]);
  });

  describe("updateCaseState", () => {
    it("moves the case when it is still in the expected state", async () => {
      const { db } = await databases.open();
      const offered = newCase({ state: "offered" });
      await insertCase(db, offered);
      const result = await updateCaseState(db, {
        code: offered.id,
        expected: "offered",
        to: "claimed",
        at: T0 + 5,
        orgId: "org-a",
      });
      expect(result).toEqual({ ok: true, case: { ...offered, state: "claimed", updated_at: T0 + 5, org_id: "org-a" } });
      expect(await getCaseByCode(db, offered.id)).toEqual(result.ok && result.case);
    });

    it("changes nothing and says so when the expected state is stale", async () => {
      const { db } = await databases.open();
      const claimed = newCase({ state: "claimed", org_id: "org-a" });
      await insertCase(db, claimed);
      const result = await updateCaseState(db, {
        code: claimed.id,
        expected: "offered",
        to: "claimed",
        at: T0 + 5,
        orgId: "org-b",
      });
      expect(result).toEqual({ ok: false, reason: "stale", actual: "claimed" });
      expect(await getCaseByCode(db, claimed.id)).toEqual(claimed);
    });

    it("reports an unknown case", async () => {
      const { db } = await databases.open();
      expect(await updateCaseState(db, { code: "NOPE-00", expected: "intake", to: "waiting", at: T0 })).toEqual({
        ok: false,
        reason: "not-found",
      });
    });

    it("leaves org and close time alone unless given, and clears them when given null", async () => {
      const { db } = await databases.open();
      const active = newCase({ state: "active", org_id: "org-a" });
      await insertCase(db, active);
      const closed = await updateCaseState(db, {
        code: active.id,
        expected: "active",
        to: "closed",
        at: T0 + 9,
        closedAt: T0 + 9,
      });
      expect(closed.ok && closed.case).toMatchObject({ org_id: "org-a", closed_at: T0 + 9 });
      const reopened = await updateCaseState(db, {
        code: active.id,
        expected: "closed",
        to: "active",
        at: T0 + 10,
        closedAt: null,
      });
      expect(reopened.ok && reopened.case).toMatchObject({ org_id: "org-a", closed_at: null });
    });

    it("lets exactly one of many racing claims win", async () => {
      const { db } = await databases.open();
      const offered = newCase({ state: "offered" });
      await insertCase(db, offered);
      const orgs = Array.from({ length: 10 }, (_, index) => `org-${index}`);
      const results = await Promise.all(
        orgs.map((orgId) =>
          updateCaseState(db, { code: offered.id, expected: "offered", to: "claimed", at: T0 + 1, orgId }),
        ),
      );
      const winners = results.filter((result) => result.ok);
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => !result.ok)).toEqual(
        Array.from({ length: 9 }, () => ({ ok: false, reason: "stale", actual: "claimed" })),
      );
      expect((await getCaseByCode(db, offered.id))?.org_id).toBe(winners[0]?.ok && winners[0].case.org_id);
    });
  });
});
