import { describe, expect, it } from "vitest";
import { insertCase } from "../../../core/db/repositories/cases.ts";
import { insertOffer, markOfferPosted } from "../../../core/db/repositories/offers.ts";
import { replaceAllOrganisations } from "../../../core/db/repositories/organisations.ts";
import { setRetentionOverride } from "../../../core/db/repositories/retention.ts";
import { redactExpiredOffers } from "../../../bots/retention/redact-offers.ts";
import { pace } from "../../../bots/retention/pace.ts";
import type { RetentionPolicy } from "../../../core/retention/policy.ts";
import { organisation } from "../organisations/fixtures.ts";
import { T0, newCase } from "../db/fixtures.ts";
import { ALL_TARGETS, freshDatabases } from "../db/targets.ts";

const day = 86_400_000;
const hubPolicy: RetentionPolicy = {
  messageLifetimeMs: 30 * day,
  graceAfterCloseMs: 7 * day,
  mediaLifetimeMs: 7 * day,
  metadataLifetimeMs: 365 * day,
};

describe.each(ALL_TARGETS)("the router's offers in queue rooms, redacted after their lifetime, on $name", (target) => {
  const databases = freshDatabases(target);

  it("redacts each organisation's expired offers once, under its own lifetime, and gives up on a room it left", async () => {
    const { db } = await databases.open();
    // ngo-b is no longer listed: its queue room still holds its offers.
    await replaceAllOrganisations(db, [organisation({ id: "ngo-a" })], T0);
    // ngo-b keeps messages one day only.
    await setRetentionOverride(db, "org", "ngo-b", { messageLifetimeMs: day }, T0);
    const offer = async (orgId: string, at: number, eventId: string | null) => {
      const theCase = newCase({ state: "offered" });
      await insertCase(db, theCase);
      const row = await insertOffer(db, {
        case_id: theCase.id,
        org_id: orgId,
        room_id: `!queue-${orgId}:partner.test`,
        rule_id: null,
        offered_at: at,
        deadline_at: at + 60_000,
      });
      if (eventId !== null) await markOfferPosted(db, row.id, eventId);
    };
    await offer("ngo-a", T0, "$a-old");
    await offer("ngo-a", T0 + 29 * day, "$a-young");
    await offer("ngo-b", T0 + 29 * day, "$b-old");
    await offer("ngo-b", T0 + 29 * day, "$b-left");
    await offer("ngo-b", T0 + 29 * day, null); // never posted: nothing to redact

    const redacted: string[] = [];
    const redacter = {
      redactEvent: (roomId: string, eventId: string) => {
        if (eventId === "$b-left") return Promise.reject(Object.assign(new Error("forbidden"), { httpStatus: 403 }));
        redacted.push(`${roomId} ${eventId}`);
        return Promise.resolve({ event_id: `$r-${eventId}` });
      },
    } as never;
    let now = T0 + 31 * day;
    const run = () => redactExpiredOffers({ db, redacter, hubPolicy, wait: pace(0), now: () => now });

    expect(await run()).toBe(2);
    expect(redacted.sort()).toEqual(["!queue-ngo-a:partner.test $a-old", "!queue-ngo-b:partner.test $b-old"]);
    expect(await run()).toBe(0);
    now = T0 + 60 * day;
    expect(await run()).toBe(1);
    expect(redacted).toContain("!queue-ngo-a:partner.test $a-young");
    expect(await db.selectFrom("offer_redactions").select("offer_id").execute()).toHaveLength(4);

    const failing = { redactEvent: () => Promise.reject(Object.assign(new Error("busy"), { httpStatus: 502 })) };
    await offer("ngo-a", T0, "$a-later");
    await expect(
      redactExpiredOffers({ db, redacter: failing, hubPolicy, wait: pace(0), now: () => now }),
    ).rejects.toThrow("busy");
    expect(await db.selectFrom("offer_redactions").select("offer_id").execute()).toHaveLength(4);
  });
});
