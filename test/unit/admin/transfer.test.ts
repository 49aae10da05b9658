// Transfer over the admin API: the core transfer a responder's !transfer runs, recorded as a pending offer in the
// target's queue room that the running router posts on its next pass.
import { afterEach, describe, expect, it } from "vitest";
import { listCaseHistory } from "../../../core/db/repositories/case-history.ts";
import { getCaseByCode, insertCase } from "../../../core/db/repositories/cases.ts";
import { listPendingOffers } from "../../../core/db/repositories/offers.ts";
import { startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";
import { newCase } from "../db/fixtures.ts";
import { OTHER_ORG, OWN_ORG, ROUTE_EXAMPLES, seedScenario, send, TRANSFER_TARGET } from "./route-examples.ts";

let fixture: AdminFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function caseEtag(code: string, token: string): Promise<string> {
  return (await send(fixture!, { method: "GET", path: `/v1/cases/${code}` }, token)).headers.get("etag")!;
}

describe("transferring a case", () => {
  it("offers her organisation's case to the target, recorded for the router to post, custody in the history", async () => {
    fixture = await startAdminFixture();
    const scenario = await seedScenario(fixture);
    const { db } = fixture.database;
    const token = await fixture.token("org_admin", OWN_ORG);
    const request = await ROUTE_EXAMPLES["cases.transfer"]!(fixture, scenario, "own");
    const response = await send(fixture, request, token);
    expect(response.status).toBe(200);
    // Answerable at every moment: no organisation holds it now, and the one it is offered to is named, with its deadline.
    expect(await response.json()).toMatchObject({
      code: scenario.ownCase,
      state: "offered",
      orgId: null,
      offeredTo: TRANSFER_TARGET,
      offerDeadlineAt: expect.any(Number) as unknown,
    });
    expect((await getCaseByCode(db, scenario.ownCase))?.state).toBe("offered");
    const pending = (await listPendingOffers(db)).filter((offer) => offer.case_id === scenario.ownCase);
    expect(pending.map((offer) => [offer.org_id, offer.room_id])).toEqual([
      [TRANSFER_TARGET, `!queue-${TRANSFER_TARGET}:hub.example.org`],
    ]);
    expect((await listCaseHistory(db, scenario.ownCase)).at(-1)).toMatchObject({
      from_state: "claimed",
      to_state: "offered",
      actor: "admin:test-org_admin-sample-garment-workers",
      reason: `transfer:${OWN_ORG}->${TRANSFER_TARGET}`,
    });
    // Offered now: nobody holds it, so a second transfer is refused and records nothing.
    const coordinator = await fixture.token("coordinator");
    const again = await send(
      fixture,
      { ...request, headers: { ...request.headers, "if-match": await caseEtag(scenario.ownCase, coordinator) } },
      coordinator,
    );
    expect(again.status).toBe(409);
    expect((await listPendingOffers(db)).filter((offer) => offer.case_id === scenario.ownCase)).toHaveLength(1);
  });

  it("refuses an organisation that cannot take the case, saying why, and one that does not exist", async () => {
    fixture = await startAdminFixture();
    await seedScenario(fixture);
    const { db } = fixture.database;
    const inserted = await insertCase(
      db,
      newCase({ state: "active", org_id: OTHER_ORG, category: "trafficking", province: "phnom_penh" }),
    );
    if (!inserted.ok) throw new Error("case code taken");
    const code = inserted.case.id;
    const token = await fixture.token("coordinator");
    const transfer = async (orgId: string) =>
      send(
        fixture!,
        {
          method: "POST",
          path: `/v1/cases/${code}/transfer`,
          headers: { "content-type": "application/json", "if-match": await caseEtag(code, token) },
          body: { orgId },
        },
        token,
      );
    const cannot = await transfer(OWN_ORG);
    expect(cannot.status).toBe(409);
    expect(((await cannot.json()) as { detail: string }).detail).toMatch(/cannot take it: .*trafficking/);
    expect((await transfer("nobody")).status).toBe(422);
    expect((await getCaseByCode(db, code))?.state).toBe("active");
    expect(await listPendingOffers(db)).toEqual([]);
  });
});
