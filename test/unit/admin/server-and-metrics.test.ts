// The admin API over real HTTP (start, serve, stop, a taken port) and its Prometheus metrics.
import { afterEach, describe, expect, it } from "vitest";
import { startAdminServer } from "../../../admin/server.ts";
import { BOOTSTRAP_TOKEN, startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";
import { seedScenario } from "./route-examples.ts";

let fixture: AdminFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe("the admin server", () => {
  it("serves over HTTP until stopped, and refuses a port already taken", async () => {
    fixture = await startAdminFixture();
    const server = await startAdminServer(fixture.app, { host: "127.0.0.1", port: 0 });
    const url = `http://127.0.0.1:${server.port}/healthz`;
    expect((await fetch(url)).status).toBe(200);
    await expect(startAdminServer(fixture.app, { host: "127.0.0.1", port: server.port })).rejects.toThrow(/EADDRINUSE/);
    await server.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe("GET /v1/metrics", () => {
  it("counts cases by state, alerts by kind and times to claim, without case codes or identities", async () => {
    fixture = await startAdminFixture();
    const scenario = await seedScenario(fixture);
    const text = await (
      await fixture.app.request("/v1/metrics", { headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}` } })
    ).text();
    expect(text).toContain('haven_cases{state="claimed"} 2');
    expect(text).toContain('haven_cases{state="closed"} 0');
    expect(text).toContain('haven_alerts{kind="offer-escalated"} 2');
    expect(text).toContain("haven_time_to_claim_seconds_count 2");
    expect(text).toContain('haven_time_to_claim_seconds_bucket{le="120"} 2');
    expect(text).not.toContain(scenario.ownCase);
    expect(text).not.toContain("@survivor");
  });
});
