import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MatrixClient } from "matrix-js-sdk";
import { openDatabase, type HavenDatabase } from "../../../core/db/open.ts";
import { createLogger } from "../../../core/log/logger.ts";
import { synapseAdmin } from "../../../core/matrix/synapse-admin.ts";
import { startRetentionWorker } from "../../../bots/retention/retention-worker.ts";

const day = 86_400_000;

describe("the retention worker's lifetime", () => {
  let database: HavenDatabase | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("owns exactly one timer while it runs and none after stop()", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "haven-worker-"));
    database = await openDatabase({ url: ":memory:", dataDir });
    vi.useFakeTimers();
    const before = vi.getTimerCount();
    const worker = startRetentionWorker({
      client: {} as MatrixClient,
      db: database.db,
      admin: synapseAdmin({ clientUrl: "http://127.0.0.1:1", accessToken: "unused" }),
      logger: createLogger("fatal"),
      hubPolicy: { messageLifetimeMs: day, graceAfterCloseMs: day, mediaLifetimeMs: day, metadataLifetimeMs: day },
      intervalMs: 60_000,
      requestIntervalMs: 0,
      redactionLeadMs: 0,
    });
    expect(vi.getTimerCount()).toBe(before + 1);
    await worker.stop();
    expect(vi.getTimerCount()).toBe(before);
  });
});

describe("the hub admin API adapter", () => {
  const answering = (status: number, body: unknown) =>
    vi.fn<typeof fetch>(() => Promise.resolve(new Response(JSON.stringify(body), { status })));

  it("purges local events too, up to an event or a time, and reads 'nothing to purge' as no job", async () => {
    const fetchFn = answering(200, { purge_id: "p1" });
    const admin = synapseAdmin({ clientUrl: "http://hub", accessToken: "t", fetchFn });
    expect(await admin.purgeHistory("!r:hub", { eventId: "$e1" })).toBe("p1");
    expect(await admin.purgeHistory("!r:hub", { ts: 42.7 })).toBe("p1");
    const bodies = fetchFn.mock.calls.map(([url, init]): unknown[] => [url, JSON.parse(init?.body as string)]);
    expect(bodies).toEqual([
      [
        "http://hub/_synapse/admin/v1/purge_history/!r%3Ahub",
        { delete_local_events: true, purge_up_to_event_id: "$e1" },
      ],
      ["http://hub/_synapse/admin/v1/purge_history/!r%3Ahub", { delete_local_events: true, purge_up_to_ts: 42 }],
    ]);
    const none = synapseAdmin({ clientUrl: "http://hub", accessToken: "t", fetchFn: answering(404, {}) });
    expect(await none.purgeHistory("!r:hub", { eventId: "$gone" })).toBeUndefined();
  });

  it("reports a job Synapse has forgotten as unknown, and other failures as errors", async () => {
    const forgotten = synapseAdmin({ clientUrl: "http://hub", accessToken: "t", fetchFn: answering(404, {}) });
    expect(await forgotten.deleteStatus("d1")).toEqual({ status: "unknown" });
    const done = synapseAdmin({
      clientUrl: "http://hub",
      accessToken: "t",
      fetchFn: answering(200, { status: "complete" }),
    });
    expect(await done.purgeStatus("p1")).toEqual({ status: "complete" });
    const failed = synapseAdmin({
      clientUrl: "http://hub",
      accessToken: "t",
      fetchFn: answering(200, { status: "failed", error: "Users are still joined to this room" }),
    });
    expect(await failed.deleteStatus("d1")).toEqual({ status: "failed", error: "Users are still joined to this room" });
    const refused = synapseAdmin({
      clientUrl: "http://hub",
      accessToken: "t",
      fetchFn: answering(403, { errcode: "M_FORBIDDEN" }),
    });
    await expect(refused.deleteRoom("!r:hub")).rejects.toThrow("HTTP 403 M_FORBIDDEN");
  });
});
