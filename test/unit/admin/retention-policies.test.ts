// Retention overrides over the admin API: only shorter than the hub's, stored where the retention worker reads
// them (casePolicy), and the worker is asked to sweep after each change.
import { afterEach, describe, expect, it } from "vitest";
import { casePolicy, getRetentionOverride } from "../../../core/db/repositories/retention.ts";
import { getCaseByCode } from "../../../core/db/repositories/cases.ts";
import { BOOTSTRAP_TOKEN, HUB_POLICY, startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";
import { seedScenario, send } from "./route-examples.ts";

let fixture: AdminFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const json = { "content-type": "application/json" };
const hour = 3_600_000;

describe("retention policies", () => {
  it("refuses an override longer than the hub's, naming the field, and changes nothing", async () => {
    let sweeps = 0;
    fixture = await startAdminFixture({ retention: { hubPolicy: HUB_POLICY, policyChanged: () => void sweeps++ } });
    await seedScenario(fixture);
    const longer = await send(
      fixture,
      {
        method: "PUT",
        path: "/v1/retention/policies/org/sample-lotus-shelter",
        headers: json,
        body: { messageLifetimeMs: HUB_POLICY.messageLifetimeMs + 1 },
      },
      BOOTSTRAP_TOKEN,
    );
    expect(longer.status).toBe(422);
    const body = (await longer.json()) as { problems: { path: string; message: string }[] };
    expect(body.problems.map((item) => item.path)).toEqual(["messageLifetimeMs"]);
    expect(body.problems[0]?.message).toMatch(/only shorten/);
    expect(await getRetentionOverride(fixture.database.db, "org", "sample-lotus-shelter")).toBeUndefined();
    const unknownOrg = await send(
      fixture,
      { method: "PUT", path: "/v1/retention/policies/org/nobody", headers: json, body: { messageLifetimeMs: hour } },
      BOOTSTRAP_TOKEN,
    );
    expect(unknownOrg.status).toBe(422);
    expect(sweeps).toBe(0);
  });

  it("a new override is what the worker's casePolicy reads, its cases are listed, and the worker is told", async () => {
    let sweeps = 0;
    fixture = await startAdminFixture({ retention: { hubPolicy: HUB_POLICY, policyChanged: () => void sweeps++ } });
    const scenario = await seedScenario(fixture);
    const created = await send(
      fixture,
      {
        method: "PUT",
        path: "/v1/retention/policies/org/sample-lotus-shelter",
        headers: json,
        body: { messageLifetimeMs: hour, graceAfterCloseMs: 0 },
      },
      BOOTSTRAP_TOKEN,
    );
    expect(created.status).toBe(201);
    expect(sweeps).toBe(1);
    const otherCase = (await getCaseByCode(fixture.database.db, scenario.otherCase))!;
    const workerPolicy = await casePolicy(fixture.database.db, HUB_POLICY, otherCase);
    expect(workerPolicy.messageLifetimeMs).toBe(hour);
    expect(workerPolicy.mediaLifetimeMs).toBe(hour);

    const cases = (await (
      await send(
        fixture,
        { method: "GET", path: "/v1/retention/policies/org/sample-lotus-shelter/cases" },
        BOOTSTRAP_TOKEN,
      )
    ).json()) as { items: { code: string; rooms: number; effective: unknown }[] };
    expect(cases.items).toEqual([{ ...cases.items[0], code: scenario.otherCase, rooms: 1, effective: workerPolicy }]);

    const again = await send(
      fixture,
      {
        method: "PUT",
        path: "/v1/retention/policies/org/sample-lotus-shelter",
        headers: json,
        body: { messageLifetimeMs: 2 * hour },
      },
      BOOTSTRAP_TOKEN,
    );
    expect(again.status).toBe(428);
    const etag = created.headers.get("etag")!;
    const removed = await send(
      fixture,
      { method: "DELETE", path: "/v1/retention/policies/org/sample-lotus-shelter", headers: { "if-match": etag } },
      BOOTSTRAP_TOKEN,
    );
    expect(removed.status).toBe(204);
    expect(sweeps).toBe(2);
    expect((await casePolicy(fixture.database.db, HUB_POLICY, otherCase)).messageLifetimeMs).toBe(86_400_000);
  });
});
