// Routing rules over the admin API: stored in the database, checked as a whole list, and what the simulation and
// live routing (the router's engineRouting) read for the next case.
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { engineRouting } from "../../../bots/router/engine-routing.ts";
import { listRoutingRules, seedRoutingRules } from "../../../core/db/repositories/routing-rules.ts";
import { insertCase } from "../../../core/db/repositories/cases.ts";
import { BOOTSTRAP_TOKEN, startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";
import { newCase } from "../db/fixtures.ts";
import { OTHER_ORG, SAMPLE_RULE, send } from "./route-examples.ts";

let fixture: AdminFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const json = { "content-type": "application/json" };
const facts = { category: "online_abuse", province: "phnom_penh", serviceLanguage: "km", urgent: true, under18: false };

describe("routing rules", () => {
  it("a new first rule decides the simulation and live routing of the next case", async () => {
    fixture = await startAdminFixture();
    const { db } = fixture.database;
    const simulate = async () =>
      (await (
        await send(
          fixture!,
          { method: "POST", path: "/v1/routing/simulate", headers: json, body: facts },
          BOOTSTRAP_TOKEN,
        )
      ).json()) as { ruleId: string | null };
    expect((await simulate()).ruleId).toBeNull();

    const created = await send(
      fixture,
      {
        method: "POST",
        path: "/v1/routing/rules",
        headers: json,
        body: {
          id: "urgent-online",
          match: { urgent: true, categories: ["online_abuse"] },
          offerTo: "any",
          position: 0,
        },
      },
      BOOTSTRAP_TOKEN,
    );
    expect(created.status).toBe(201);
    expect((await listRoutingRules(db)).map((rule) => rule.id)[0]).toBe("urgent-online");
    expect((await simulate()).ruleId).toBe("urgent-online");

    const live = engineRouting({
      db,
      logger: pino({ level: "silent" }),
      rules: () => listRoutingRules(db),
      fallbackOrgId: fixture.setup.fallbackOrgId,
      now: () => Date.parse("2026-11-30T03:00:00Z"),
    });
    const inserted = await insertCase(db, newCase({ state: "waiting", category: "online_abuse", urgent: true }));
    if (!inserted.ok) throw new Error("case code taken");
    expect((await live.choose(inserted.case, []))?.ruleId).toBe("urgent-online");
  });

  it("refuses a list routing could not use, naming where, and changes nothing", async () => {
    fixture = await startAdminFixture();
    const before = await listRoutingRules(fixture.database.db);
    const unknownOrg = await send(
      fixture,
      { method: "POST", path: "/v1/routing/rules", headers: json, body: { id: "x", offerTo: ["nobody"] } },
      BOOTSTRAP_TOKEN,
    );
    expect(unknownOrg.status).toBe(422);
    expect(((await unknownOrg.json()) as { problems: { path: string }[] }).problems[0]?.path).toBe("[2].offerTo[0]");
    const catchAllFirst = await send(
      fixture,
      {
        method: "POST",
        path: "/v1/routing/rules",
        headers: json,
        body: { id: "all", offerTo: [OTHER_ORG], position: 0 },
      },
      BOOTSTRAP_TOKEN,
    );
    expect(catchAllFirst.status).toBe(422);
    const duplicate = await send(
      fixture,
      { method: "POST", path: "/v1/routing/rules", headers: json, body: { id: SAMPLE_RULE, offerTo: "any" } },
      BOOTSTRAP_TOKEN,
    );
    expect(duplicate.status).toBe(409);
    expect(await listRoutingRules(fixture.database.db)).toEqual(before);
  });

  it("the organisations file seeds the rules once: a list a coordinator emptied stays empty", async () => {
    fixture = await startAdminFixture();
    const { db } = fixture.database;
    const list = await send(fixture, { method: "GET", path: "/v1/routing/rules" }, BOOTSTRAP_TOKEN);
    const emptied = await send(
      fixture,
      {
        method: "PUT",
        path: "/v1/routing/rules",
        headers: { ...json, "if-match": list.headers.get("etag")! },
        body: [],
      },
      BOOTSTRAP_TOKEN,
    );
    expect(emptied.status).toBe(200);
    expect(await seedRoutingRules(db, fixture.setup.rules, Date.now())).toBe(false);
    expect(await listRoutingRules(db)).toEqual([]);
    const stale = await send(
      fixture,
      {
        method: "PUT",
        path: "/v1/routing/rules",
        headers: { ...json, "if-match": list.headers.get("etag")! },
        body: [],
      },
      BOOTSTRAP_TOKEN,
    );
    expect(stale.status).toBe(412);
  });
});
