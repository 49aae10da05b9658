import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { MatrixClient } from "matrix-js-sdk";
import type { Database } from "../../core/db/schema.ts";
import type { RetentionPolicy } from "../../core/retention/policy.ts";
import type { PurgePoint, SynapseAdmin } from "../../core/matrix/synapse-admin.ts";
import { eraseCase, eraseSurvivorCases, type ErasureDeps, type ErasureResult } from "./erase-case.ts";
import { runHubJob } from "./hub-jobs.ts";
import { pace } from "./pace.ts";
import { startRetentionWorker, type RetentionReport, type RetentionWorkerDeps } from "./retention-worker.ts";

export interface RetentionDeps {
  client: MatrixClient;
  db: Kysely<Database>;
  admin: SynapseAdmin;
  logger: Logger;
  hubPolicy: RetentionPolicy;
  sweepIntervalMs: number;
  requestsPerSecond: number;
  pollMs?: number;
  now?: () => number;
  onJobStarted?: RetentionWorkerDeps["onJobStarted"];
  offerRedacter?: RetentionWorkerDeps["offerRedacter"];
}

/** Everything retention offers the rest of Haven: erasure (quick exit, the admin API) and the worker. */
export interface Retention {
  /** Erases a case: one call for the admin API's right-to-erasure request; recorded in the audit. */
  eraseCase(caseId: string, actor: string): Promise<ErasureResult>;
  eraseSurvivorCases(survivorMxid: string, actor: string): Promise<number>;
  purgeHistory(roomId: string, upTo: PurgePoint): Promise<void>;
  runOnce(): Promise<RetentionReport>;
  stop(): Promise<void>;
}

export function startRetention(deps: RetentionDeps): Retention {
  const now = deps.now ?? Date.now;
  const requestIntervalMs = Math.ceil(1_000 / deps.requestsPerSecond);
  // Erasure is what a survivor in a hurry waits for: it has its own pace, not queued behind a long sweep.
  const erasure: ErasureDeps = {
    client: deps.client,
    db: deps.db,
    logger: deps.logger,
    admin: deps.admin,
    wait: pace(0, now),
    now,
    pollMs: deps.pollMs ?? 250,
    pollTimeoutMs: 20_000,
  };
  const worker = startRetentionWorker({
    client: deps.client,
    db: deps.db,
    admin: deps.admin,
    logger: deps.logger,
    hubPolicy: deps.hubPolicy,
    intervalMs: deps.sweepIntervalMs,
    requestIntervalMs,
    redactionLeadMs: deps.sweepIntervalMs,
    now,
    ...(deps.pollMs !== undefined && { pollMs: deps.pollMs }),
    ...(deps.onJobStarted && { onJobStarted: deps.onJobStarted }),
    ...(deps.offerRedacter && { offerRedacter: deps.offerRedacter }),
  });
  return {
    eraseCase: (caseId, actor) => eraseCase(erasure, caseId, actor),
    eraseSurvivorCases: (survivorMxid, actor) => eraseSurvivorCases(erasure, survivorMxid, actor),
    async purgeHistory(roomId, upTo) {
      const at = "ts" in upTo ? { upToTs: upTo.ts } : { upToTs: now(), upToEventId: upTo.eventId };
      await runHubJob(erasure, { kind: "purge-history", roomId, caseId: null, ...at });
    },
    runOnce: () => worker.runOnce(),
    stop: () => worker.stop(),
  };
}
