// The service directory over the admin API: the same rows `haven directory export` and the intake bot read.
import { afterEach, describe, expect, it } from "vitest";
import { getService, listServices } from "../../../core/db/repositories/services.ts";
import { BOOTSTRAP_TOKEN, startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";
import { OTHER_SERVICE, OWN_ORG, OWN_SERVICE, seedScenario, send } from "./route-examples.ts";

let fixture: AdminFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const json = { "content-type": "application/json" };

describe("directory services", () => {
  it("an org_admin lists only her organisation's services, page by page for a coordinator", async () => {
    fixture = await startAdminFixture();
    await seedScenario(fixture);
    const orgAdmin = await fixture.token("org_admin", OWN_ORG);
    const hers = (await (await send(fixture, { method: "GET", path: "/v1/services" }, orgAdmin)).json()) as {
      items: { id: string }[];
    };
    const all = await listServices(fixture.database.db);
    expect(hers.items.map((item) => item.id)).toEqual(
      all.filter((service) => service.organisationId === OWN_ORG).map((service) => service.id),
    );
    expect(hers.items.map((item) => item.id)).toContain(OWN_SERVICE);

    const coordinator = await fixture.token("coordinator");
    const seen: string[] = [];
    let path = "/v1/services?limit=3";
    for (;;) {
      const page = (await (await send(fixture, { method: "GET", path }, coordinator)).json()) as {
        items: { id: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((item) => item.id));
      if (page.nextCursor === null) break;
      path = `/v1/services?limit=3&cursor=${page.nextCursor}`;
    }
    expect(seen).toEqual(all.map((service) => service.id));
  });

  it("a change needs both languages, is checked like an import, and lands in the directory the bot reads", async () => {
    fixture = await startAdminFixture();
    await seedScenario(fixture);
    const token = await fixture.token("org_admin", OWN_ORG);
    const read = await send(fixture, { method: "GET", path: `/v1/services/${OWN_SERVICE}` }, token);
    const etag = read.headers.get("etag")!;
    const halfTranslated = await send(
      fixture,
      {
        method: "PATCH",
        path: `/v1/services/${OWN_SERVICE}`,
        headers: { ...json, "if-match": etag },
        body: { name: { en: "Only English" } },
      },
      token,
    );
    expect(halfTranslated.status).toBe(422);
    expect(((await halfTranslated.json()) as { problems: { path: string }[] }).problems[0]!.path).toBe("name.km");

    const changed = await send(
      fixture,
      {
        method: "PATCH",
        path: `/v1/services/${OWN_SERVICE}`,
        headers: { ...json, "if-match": etag },
        body: { name: { km: "ប្រឹក្សា", en: "Counselling" } },
      },
      token,
    );
    expect(changed.status).toBe(200);
    expect((await getService(fixture.database.db, OWN_SERVICE))?.name).toEqual({ km: "ប្រឹក្សា", en: "Counselling" });
    const stale = await send(
      fixture,
      { method: "DELETE", path: `/v1/services/${OWN_SERVICE}`, headers: { "if-match": etag } },
      token,
    );
    expect(stale.status).toBe(412);

    const giveAway = await send(
      fixture,
      {
        method: "PATCH",
        path: `/v1/services/${OWN_SERVICE}`,
        headers: { ...json, "if-match": changed.headers.get("etag")! },
        body: { organisationId: "sample-lotus-shelter" },
      },
      token,
    );
    expect(giveAway.status).toBe(403);
  });

  it("creating an existing id is a conflict; deleting removes it from the directory", async () => {
    fixture = await startAdminFixture();
    await seedScenario(fixture);
    const other = (await getService(fixture.database.db, OTHER_SERVICE))!;
    const again = await send(
      fixture,
      { method: "POST", path: "/v1/services", headers: json, body: other },
      BOOTSTRAP_TOKEN,
    );
    expect(again.status).toBe(409);
    const etag = (
      await send(fixture, { method: "GET", path: `/v1/services/${OTHER_SERVICE}` }, BOOTSTRAP_TOKEN)
    ).headers.get("etag")!;
    const removed = await send(
      fixture,
      { method: "DELETE", path: `/v1/services/${OTHER_SERVICE}`, headers: { "if-match": etag } },
      BOOTSTRAP_TOKEN,
    );
    expect(removed.status).toBe(204);
    expect(await getService(fixture.database.db, OTHER_SERVICE)).toBeUndefined();
  });
});
