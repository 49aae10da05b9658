import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Database, RetentionJobKind } from "../../core/db/schema.ts";
import { findUnfinishedJob, insertRetentionJob, updateRetentionJob } from "../../core/db/repositories/retention.ts";
import type { AdminJobState, SynapseAdmin } from "../../core/matrix/synapse-admin.ts";
import type { Pace } from "./pace.ts";

export interface HubJobDeps {
  db: Kysely<Database>;
  admin: SynapseAdmin;
  wait: Pace;
  now: () => number;
  logger: Logger;
  /**
   * Longest wait between two polls of a running job (the first polls come sooner, see `pollDelayMs`), and how
   * long before this run gives up on it (the next run resumes).
   */
  pollMs: number;
  pollTimeoutMs: number;
  /** Called once Synapse has accepted a job and its id is recorded: where a test crashes the worker. */
  onStarted?: (kind: RetentionJobKind, roomId: string) => Promise<void> | void;
}

export type HubJobOutcome = "complete" | "nothing-to-purge" | "failed" | "pending";

const FIRST_POLL_DELAY_MS = 50;

/**
 * The wait before poll number `attempt` (1 for the poll after the first "running"): 50 ms, doubling up to `maxMs`.
 * A purge of a room with a few hundred events takes Synapse a fraction of a second; a fixed one-second wait
 * made every room of a sweep cost at least a second, whatever Synapse took.
 */
export function pollDelayMs(attempt: number, maxMs: number): number {
  return Math.min(maxMs, FIRST_POLL_DELAY_MS * 2 ** Math.max(0, attempt - 1));
}

/**
 * Runs one purge or room deletion on the hub to completion, recorded in retention_jobs at each step: the row is
 * written before Synapse is asked, and Synapse's job id right after. A worker that died mid-job finds the
 * unfinished row on its next run and polls that same job; only if Synapse no longer knows the job (it restarted)
 * is it asked again, which for both kinds deletes nothing that is not already due. A room deletion that fails
 * (a member joined while Synapse shut the room down, so it refuses to purge) is asked again with force, up to
 * three times, the last two after short pauses.
 */
export async function runHubJob(
  deps: HubJobDeps,
  job: {
    kind: RetentionJobKind;
    roomId: string;
    caseId: string | null;
    /** purge-history: the time the purged messages had expired by (recorded; the purge point if no event). */
    upToTs: number | null;
    /** purge-history: the event to purge up to (kept itself), in the room's order. */
    upToEventId?: string | null;
  },
): Promise<HubJobOutcome> {
  const { db, admin, now } = deps;
  let row =
    (await findUnfinishedJob(db, job.kind, job.roomId)) ??
    (await insertRetentionJob(db, {
      kind: job.kind,
      room_id: job.roomId,
      case_id: job.caseId,
      up_to_ts: job.upToTs,
      up_to_event_id: job.upToEventId ?? null,
      at: now(),
    }));
  let forced = false;
  // A refused room deletion is asked again with force, and if that fails too (Synapse gives no reason), twice
  // more after short pauses: something in the room at that moment (a send, a join) can fail the whole task.
  const forcedRetryDelays = [0, 4 * deps.pollMs, 8 * deps.pollMs];
  let forcedRetries = 0;
  const start = async (): Promise<string | undefined> => {
    await deps.wait();
    const id =
      row.kind === "purge-history"
        ? await admin.purgeHistory(
            row.room_id,
            row.up_to_event_id === null ? { ts: row.up_to_ts ?? now() } : { eventId: row.up_to_event_id },
          )
        : await admin.deleteRoom(row.room_id, { forcePurge: forced });
    if (id === undefined) return undefined;
    await updateRetentionJob(db, row.id, { status: "running", synapse_id: id, at: now() });
    row = { ...row, status: "running", synapse_id: id };
    await deps.onStarted?.(row.kind, row.room_id);
    return id;
  };
  const status = (id: string): Promise<AdminJobState> =>
    row.kind === "purge-history" ? admin.purgeStatus(id) : admin.deleteStatus(id);

  let synapseId = row.synapse_id ?? (await start());
  if (synapseId === undefined) {
    await updateRetentionJob(db, row.id, { status: "done", at: now() });
    return "nothing-to-purge";
  }
  const deadline = now() + deps.pollTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    await deps.wait();
    const state = await status(synapseId);
    let current = state.status;
    if (current === "failed") {
      deps.logger.warn({ kind: row.kind, roomId: row.room_id, synapseError: state.error, forced }, "hub job failed");
      if (row.kind === "delete-room" && forcedRetries < forcedRetryDelays.length) {
        const delay = forcedRetryDelays[forcedRetries++]!;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        forced = true;
        synapseId = (await start())!;
        continue;
      }
    }
    if (current === "unknown") {
      const restarted = await start();
      if (restarted === undefined) current = "complete";
      else synapseId = restarted;
    }
    if (current === "complete" || current === "failed") {
      await updateRetentionJob(db, row.id, { status: current === "complete" ? "done" : "failed", at: now() });
      return current;
    }
    if (now() > deadline) {
      deps.logger.warn({ kind: row.kind, roomId: row.room_id, waitedMs: deps.pollTimeoutMs }, "hub job still running");
      return "pending";
    }
    await new Promise((resolve) => setTimeout(resolve, pollDelayMs(attempt, deps.pollMs)));
  }
}
