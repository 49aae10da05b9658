// The admin API over real HTTP (start, serve, stop, a taken port) and its Prometheus metrics.
import { afterEach, describe, expect, it } from "vitest";
import { startAdminServer } from "../../../admin/server.ts";
import { BOOTSTRAP_TOKEN, startAdminFixture, type AdminFixture } from "../../harness/admin-api.ts";
import { recordRelayedEvent } from "../../../core/db/repositories/relay.ts";
import { recordRetentionAudit } from "../../../core/db/repositories/retention.ts";
import { T0 } from "../db/fixtures.ts";
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

  it("reports the process's memory, heap and event-loop lag", async () => {
    fixture = await startAdminFixture();
    const text = await (
      await fixture.app.request("/v1/metrics", { headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}` } })
    ).text();
    const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
    expect(value("process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(value("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(value("nodejs_external_memory_bytes")).toBeGreaterThan(0);
    expect(value("nodejs_eventloop_lag_p99_seconds")).toBeGreaterThanOrEqual(0);
  });
});

describe("GET /v1/metrics, from relays, retention and the running bots", () => {
  it("reports time to first reply, retention actions, relay latency and bot sync lag", async () => {
    fixture = await startAdminFixture({
      liveFigures: {
        relayLatencies: () => [
          { from: "survivor", seconds: 0.4 },
          { from: "org", seconds: 3 },
        ],
        botSync: () => [
          { bot: "intake", lagSeconds: 0.2, lastSyncAgeSeconds: 12 },
          { bot: "router", lagSeconds: null, lastSyncAgeSeconds: null },
        ],
      },
    });
    const scenario = await seedScenario(fixture);
    const { db } = fixture.database;
    // Her message to the organisation, then their reply to her 90 s after the case was created, then a notice the
    // bridge sent on its own (not a reply).
    const herRoom = "!room:hub.test";
    const orgRoom = "!org-room:hub.test";
    const relay = (source: string, from: string, to: string, at: number) =>
      recordRelayedEvent(db, {
        source_event_id: source,
        source_room_id: from,
        target_room_id: to,
        target_event_id: `${source}-copy`,
        case_id: scenario.ownCase,
        relayed_at: at,
      });
    await relay("$her", herRoom, orgRoom, T0 + 60_000);
    await relay("bridge:notice", orgRoom, herRoom, T0 + 70_000);
    await relay("$reply", orgRoom, herRoom, T0 + 90_000);
    await relay("$later", orgRoom, herRoom, T0 + 900_000);
    await recordRetentionAudit(db, {
      at: T0,
      actor: "retention-worker",
      action: "sweep",
      case_id: null,
      counts: { messagesRedacted: 3, purges: 1 },
    });
    await recordRetentionAudit(db, {
      at: T0,
      actor: "retention-worker",
      action: "sweep",
      case_id: null,
      counts: { messagesRedacted: 2, purges: 0 },
    });

    const text = await (
      await fixture.app.request("/v1/metrics", { headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}` } })
    ).text();
    expect(text).toContain("haven_time_to_first_reply_seconds_count 1");
    expect(text).toContain("haven_time_to_first_reply_seconds_sum 90");
    expect(text).toContain('haven_retention_actions{action="sweep",count="messagesRedacted"} 5');
    expect(text).toContain('haven_retention_actions{action="sweep",count="purges"} 1');
    expect(text).toContain('haven_relay_latency_seconds_bucket{le="0.5",direction="to-org"} 1');
    expect(text).toContain('haven_relay_latency_seconds_bucket{le="2",direction="to-survivor"} 0');
    expect(text).toContain('haven_relay_latency_seconds_count{direction="to-survivor"} 1');
    expect(text).toContain('haven_bot_sync_lag_seconds{bot="intake"} 0.2');
    expect(text).toContain('haven_bot_last_sync_age_seconds{bot="intake"} 12');
    expect(text).not.toContain('bot="router"');
    expect(text).not.toContain(herRoom);
  });
});
