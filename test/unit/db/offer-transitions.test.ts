import { describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { moveCase } from "../../../core/db/case-transitions.ts";
import { claimOffer, placeOffer } from "../../../core/db/offer-transitions.ts";
import { getCaseByCode, insertCase } from "../../../core/db/repositories/cases.ts";
import { listCaseHistory } from "../../../core/db/repositories/case-history.ts";
import { insertOffer, listOffersForCase, settleOffer } from "../../../core/db/repositories/offers.ts";
import type { Database, Offer } from "../../../core/db/schema.ts";
import { T0, newCase } from "./fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "./targets.ts";

const orgA = { id: "ngo-a", queueRoomId: "!queue-a:ngo-a.test", claimSlaMs: 60_000 };
const orgB = { id: "ngo-b", queueRoomId: "!queue-b:ngo-b.test", claimSlaMs: 60_000 };
const responder = "@a1:ngo-a.test";

/** A case offered to org A, its offer posted and open. */
async function offeredCase(db: Kysely<Database>): Promise<{ code: string; offer: Offer }> {
  const theCase = newCase({ state: "offered" });
  await insertCase(db, theCase);
  const offer = await insertOffer(db, {
    case_id: theCase.id,
    org_id: orgA.id,
    room_id: orgA.queueRoomId,
    event_id: "$offer",
    rule_id: "rule-1",
    offered_at: T0,
    deadline_at: T0 + orgA.claimSlaMs,
    settled_at: null,
    claimed_by: null,
  });
  await db.updateTable("offers").set({ status: "open" }).where("id", "=", offer.id).execute();
  return { code: theCase.id, offer: { ...offer, status: "open" } };
}

const live = (offers: readonly Offer[]) => offers.filter((o) => o.status === "pending" || o.status === "open");

describe.each(ALL_TARGETS)("the router's custody changes on $name", (target) => {
  const databases = freshDatabases(target);

  it("a claim moves the offer and the case together, and says so in the custody record", async () => {
    const { db } = await databases.open();
    const { code, offer } = await offeredCase(db);
    const claimed = await claimOffer(db, { offer, responder, at: T0 + 10 });
    expect(claimed).toMatchObject({ ok: true, case: { state: "claimed", org_id: "ngo-a" } });
    expect((await listOffersForCase(db, code))[0]).toMatchObject({ status: "claimed", claimed_by: responder });
    expect((await listCaseHistory(db, code)).at(-1)).toMatchObject({
      from_state: "offered",
      to_state: "claimed",
      actor: responder,
      org_id: "ngo-a",
      reason: "claimed:rule-1",
    });
  });

  it("a claim of a case that moved on (erased) leaves its offer open: both or neither change", async () => {
    const { db } = await databases.open();
    const { code, offer } = await offeredCase(db);
    await moveCase(db, { code, to: "erased", actor: "survivor", at: T0 + 5 });
    expect(await claimOffer(db, { offer, responder, at: T0 + 10 })).toMatchObject({
      ok: false,
      reason: "case-moved",
      result: { reason: "stale", actual: "erased" },
    });
    expect((await listOffersForCase(db, code))[0]).toMatchObject({ status: "open", claimed_by: null });
  });

  it("the second claim of an offer is refused and changes nothing", async () => {
    const { db } = await databases.open();
    const { code, offer } = await offeredCase(db);
    await claimOffer(db, { offer, responder, at: T0 + 10 });
    expect(await claimOffer(db, { offer, responder: "@a2:ngo-a.test", at: T0 + 11 })).toEqual({
      ok: false,
      reason: "offer-settled",
    });
    expect(await getCaseByCode(db, code)).toMatchObject({ state: "claimed", updated_at: T0 + 10 });
  });

  it("two responders claiming in the same millisecond, 20 times: exactly one wins each time", async () => {
    const { db } = await databases.open();
    for (let trial = 0; trial < 20; trial++) {
      const { code, offer } = await offeredCase(db);
      const results = await Promise.all(
        ["@a1:ngo-a.test", "@a2:ngo-a.test"].map((who) => claimOffer(db, { offer, responder: who, at: T0 + 50 })),
      );
      expect(
        results.filter((r) => r.ok),
        `trial ${trial}`,
      ).toHaveLength(1);
      expect(
        results.filter((r) => !r.ok),
        `trial ${trial}`,
      ).toEqual([{ ok: false, reason: "offer-settled" }]);
      const claims = (await listCaseHistory(db, code)).filter((h) => h.to_state === "claimed");
      expect(claims, `trial ${trial}`).toHaveLength(1);
      expect((await listOffersForCase(db, code))[0]!.claimed_by).toBe(claims[0]!.actor);
    }
  });

  // What was seen once under load on PostgreSQL: the router's safety net found the case `offered` with no live
  // offer (the claim had settled the offer but not yet moved the case), decided to offer it again, and by the
  // time it moved the case the claim had committed: `claimed → offered` is a legal transfer, so the claimed
  // case went back to `offered` after the responder was told it was hers.
  it("a re-offer decided on an offered case does not undo a claim committed meanwhile", async () => {
    const { db } = await databases.open();
    const { code, offer } = await offeredCase(db);
    const seenByTheSafetyNet = await getCaseByCode(db, code);
    await claimOffer(db, { offer, responder, at: T0 + 10 });
    const reoffered = await placeOffer(db, {
      code,
      expected: { states: [seenByTheSafetyNet!.state] },
      org: orgB,
      ruleId: null,
      actor: "@router:hub.test",
      at: T0 + 11,
      reason: "offered:ngo-b",
    });
    expect(reoffered).toEqual({ ok: false, reason: "stale", actual: "claimed" });
    expect(await getCaseByCode(db, code)).toMatchObject({ state: "claimed", org_id: "ngo-a" });
    expect((await listOffersForCase(db, code)).map((o) => [o.org_id, o.status])).toEqual([["ngo-a", "claimed"]]);
  });

  it("a transfer happens only from the organisation that holds the case", async () => {
    const { db } = await databases.open();
    const { code, offer } = await offeredCase(db);
    await claimOffer(db, { offer, responder, at: T0 + 10 });
    const transfer = (from: string) =>
      placeOffer(db, {
        code,
        expected: { states: ["claimed", "active"], orgId: from },
        org: orgB,
        ruleId: null,
        actor: responder,
        at: T0 + 20,
        reason: `transfer:${from}->ngo-b`,
      });
    expect(await transfer("ngo-c")).toEqual({ ok: false, reason: "stale", actual: "claimed" });
    expect(await transfer("ngo-a")).toMatchObject({ ok: true, offer: { org_id: "ngo-b", status: "pending" } });
    expect(await getCaseByCode(db, code)).toMatchObject({ state: "offered", org_id: null });
  });

  // The same race run for real: a claim, the deadline's escalation and the safety net all at once, 20 times. On
  // PostgreSQL they run on separate pooled connections; on SQLite one connection serialises them.
  it("a claim racing the escalation and the safety net: the case always agrees with its offers", async () => {
    const { db } = await databases.open();
    for (let trial = 0; trial < 20; trial++) {
      const { code, offer } = await offeredCase(db);
      const claim = claimOffer(db, { offer, responder, at: T0 + 100 });
      const escalation = (async () => {
        if (!(await settleOffer(db, { id: offer.id, from: ["pending", "open"], to: "expired", at: T0 + 100 }))) return;
        const seen = await getCaseByCode(db, code);
        if (seen?.state !== "offered") return;
        await placeOffer(db, {
          code,
          expected: { states: [seen.state] },
          org: orgB,
          ruleId: null,
          actor: "@router:hub.test",
          at: T0 + 101,
          reason: "offered:ngo-b",
        });
      })();
      const safetyNet = (async () => {
        for (let look = 0; look < 5; look++) {
          const seen = await getCaseByCode(db, code);
          if (seen?.state !== "offered" || live(await listOffersForCase(db, code)).length > 0) continue;
          await placeOffer(db, {
            code,
            expected: { states: [seen.state] },
            org: orgB,
            ruleId: null,
            actor: "@router:hub.test",
            at: T0 + 102,
            reason: "offered:ngo-b",
          });
        }
      })();
      const [claimed] = await Promise.all([claim, escalation, safetyNet]);
      const theCase = await getCaseByCode(db, code);
      const offers = await listOffersForCase(db, code);
      if (claimed.ok) {
        expect(theCase, `trial ${trial}`).toMatchObject({ state: "claimed", org_id: "ngo-a" });
        expect(live(offers), `trial ${trial}`).toEqual([]);
      } else {
        expect(theCase, `trial ${trial}`).toMatchObject({ state: "offered", org_id: null });
        expect(
          live(offers).map((o) => o.org_id),
          `trial ${trial}`,
        ).toEqual(["ngo-b"]);
      }
    }
  });
});
