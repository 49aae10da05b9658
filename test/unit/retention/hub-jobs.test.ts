import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type HavenDatabase } from "../../../core/db/open.ts";
import { listRetentionJobs } from "../../../core/db/repositories/retention.ts";
import { createLogger } from "../../../core/log/logger.ts";
import type { AdminJobState, SynapseAdmin } from "../../../core/matrix/synapse-admin.ts";
import { runHubJob } from "../../../bots/retention/hub-jobs.ts";

/** Synapse's admin API as a script: each status poll answers the next state of the job it was asked about. */
function scriptedAdmin(answers: Record<string, AdminJobState[]>) {
  const deletions: Array<{ roomId: string; forcePurge: boolean }> = [];
  const admin: SynapseAdmin = {
    purgeHistory: () => Promise.reject(new Error("not in this script")),
    purgeStatus: () => Promise.reject(new Error("not in this script")),
    deleteRoom(roomId, options) {
      deletions.push({ roomId, forcePurge: options?.forcePurge ?? false });
      return Promise.resolve(`d${deletions.length}`);
    },
    deleteStatus: (id) => Promise.resolve(answers[id]?.shift() ?? { status: "running" }),
    deleteMedia: () => Promise.reject(new Error("not in this script")),
  };
  return { admin, deletions };
}

describe("a room deletion on the hub", () => {
  let database: HavenDatabase | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const deps = async (admin: SynapseAdmin) => {
    dataDir = await mkdtemp(join(tmpdir(), "haven-hub-jobs-"));
    database = await openDatabase({ url: ":memory:", dataDir });
    return {
      db: database.db,
      admin,
      wait: () => Promise.resolve(),
      now: Date.now,
      logger: createLogger("fatal"),
      pollMs: 1,
      pollTimeoutMs: 5_000,
    };
  };

  it("that Synapse refuses to purge (a member joined during the shutdown) is asked once more with force", async () => {
    const { admin, deletions } = scriptedAdmin({
      d1: [{ status: "running" }, { status: "failed", error: "Users are still joined to this room" }],
      d2: [{ status: "running" }, { status: "complete" }],
    });
    const job = { kind: "delete-room", roomId: "!her:hub", caseId: "K7Q2-M4", upToTs: null } as const;
    const d = await deps(admin);
    expect(await runHubJob(d, job)).toBe("complete");
    expect(deletions).toEqual([
      { roomId: "!her:hub", forcePurge: false },
      { roomId: "!her:hub", forcePurge: true },
    ]);
    expect((await listRetentionJobs(d.db)).map((j) => [j.status, j.synapse_id])).toEqual([["done", "d2"]]);
  });

  it("that fails with force too is asked again after a pause, and succeeds", async () => {
    const failed = { status: "failed" } as const;
    const { admin, deletions } = scriptedAdmin({ d1: [failed], d2: [failed], d3: [{ status: "complete" }] });
    const d = await deps(admin);
    const job = { kind: "delete-room", roomId: "!her:hub", caseId: "K7Q2-M4", upToTs: null } as const;
    expect(await runHubJob(d, job)).toBe("complete");
    expect(deletions.map((x) => x.forcePurge)).toEqual([false, true, true]);
    expect((await listRetentionJobs(d.db)).map((j) => [j.status, j.synapse_id])).toEqual([["done", "d3"]]);
  });

  it("that fails even with force is reported failed, not retried for ever", async () => {
    const refused = { status: "failed", error: "Users are still joined to this room" } as const;
    const { admin, deletions } = scriptedAdmin({ d1: [refused], d2: [refused], d3: [refused], d4: [refused] });
    const d = await deps(admin);
    const job = { kind: "delete-room", roomId: "!her:hub", caseId: "K7Q2-M4", upToTs: null } as const;
    expect(await runHubJob(d, job)).toBe("failed");
    expect(deletions.map((x) => x.forcePurge)).toEqual([false, true, true, true]);
    expect((await listRetentionJobs(d.db)).map((j) => j.status)).toEqual(["failed"]);
  });
});
