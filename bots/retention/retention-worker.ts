import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { MatrixClient } from "matrix-js-sdk";
import type { Database } from "../../core/db/schema.ts";
import type { RetentionPolicy } from "../../core/retention/policy.ts";
import { planCaseRetention } from "../../core/retention/plan.ts";
import {
  anonymiseCase,
  casePolicy,
  forgetSurvivorRoom,
  lastPurgedUpTo,
  listCasesUnderRetention,
  listRelayRoomsOfCase,
  listUnfinishedJobs,
  markCaseRoomsDeleted,
  recordRetentionAudit,
  type CaseUnderRetention,
} from "../../core/db/repositories/retention.ts";
import { safeError } from "../../core/log/safe-error.ts";
import type { SynapseAdmin } from "../../core/matrix/synapse-admin.ts";
import { redactExpired } from "./redact-expired.ts";
import { syncRetentionState } from "./retention-state.ts";
import { runHubJob, type HubJobDeps } from "./hub-jobs.ts";
import { deleteCaseMedia } from "./delete-media.ts";
import { redactExpiredOffers } from "./redact-offers.ts";
import { forgetRoomKeysInBackup } from "./forget-room-keys.ts";
import { tombstoneRoom } from "../../core/matrix/tombstone.ts";
import { getOrganisation } from "../../core/db/repositories/organisations.ts";
import { isLocale, type Locale } from "../../core/i18n/locales.ts";
import { translate } from "../../core/i18n/translate.ts";
import { pace } from "./pace.ts";

export interface RetentionWorkerDeps {
  /** The intake bot's client: member and admin of every case room and org-side room on the hub. */
  client: MatrixClient;
  db: Kysely<Database>;
  admin: SynapseAdmin;
  logger: Logger;
  /** The hub's default policy (config); categories and organisations may only shorten it. */
  hubPolicy: RetentionPolicy;
  /** Time between two runs. */
  intervalMs: number;
  /** Least time between two requests to the hub (redactions, purges, polls): the worker never crowds it. */
  requestIntervalMs: number;
  /**
   * How long before a message's end of life the worker may redact it. Synapse hides a message from every client,
   * the bot included, once `m.room.retention` says it has expired, so the worker must reach it before then: with
   * a lead of one sweep interval each message is redacted within its last interval of life, never after.
   */
  redactionLeadMs: number;
  pollMs?: number;
  pollTimeoutMs?: number;
  now?: () => number;
  onJobStarted?: HubJobDeps["onStarted"];
  /** The router's client, once it runs: it redacts its expired offers in the partners' queue rooms. */
  offerRedacter?: () => Pick<MatrixClient, "redactEvent"> | undefined;
}

/** What one run did: counts only. */
export interface RetentionReport {
  [count: string]: number;
  cases: number;
  retentionStatesSet: number;
  messagesRedacted: number;
  purges: number;
  roomsDeleted: number;
  mediaDeleted: number;
  offersRedacted: number;
  casesAnonymised: number;
  failures: number;
}

export interface RetentionWorker {
  /** One sweep over every case retention still has work on. Runs never overlap. */
  runOnce(): Promise<RetentionReport>;
  stop(): Promise<void>;
}

const emptyReport = (): RetentionReport => ({
  cases: 0,
  retentionStatesSet: 0,
  messagesRedacted: 0,
  purges: 0,
  roomsDeleted: 0,
  mediaDeleted: 0,
  offersRedacted: 0,
  casesAnonymised: 0,
  failures: 0,
});

/**
 * The retention worker: for every case, keeps `m.room.retention` in its rooms in step with the policy, redacts
 * the messages past their lifetime and purges them on the hub, deletes the rooms of a closed or erased case after
 * the grace, and anonymises the case once its metadata lifetime has run. Every step can be interrupted and run
 * again: redactions skip what is redacted, hub jobs resume from retention_jobs, the rest are idempotent updates.
 */
export function startRetentionWorker(deps: RetentionWorkerDeps): RetentionWorker {
  const { client, db, logger } = deps;
  const now = deps.now ?? Date.now;
  const wait = pace(deps.requestIntervalMs, now);
  const jobs: HubJobDeps = {
    db,
    admin: deps.admin,
    wait,
    now,
    logger,
    pollMs: deps.pollMs ?? 1_000,
    pollTimeoutMs: deps.pollTimeoutMs ?? 120_000,
    ...(deps.onJobStarted && { onStarted: deps.onJobStarted }),
  };

  // Read on every sweep: an override changed through the admin API reaches the rooms at the next sweep.
  const policyOf = ({ case: theCase }: CaseUnderRetention): Promise<RetentionPolicy> =>
    casePolicy(db, deps.hubPolicy, theCase);

  /** Redacts and purges first, then sets the room's policy: a shorter policy would hide messages from the bot. */
  const expireMessages = async (
    roomId: string,
    caseId: string,
    policy: RetentionPolicy,
    before: number,
    report: RetentionReport,
  ): Promise<void> => {
    const cutOff = before + deps.redactionLeadMs;
    const sweep = await redactExpired(client, roomId, cutOff, wait);
    report.messagesRedacted += sweep.redacted;
    // Synapse keeps the event a purge stops at: when every message has expired, the newest stays (redacted) until
    // a later sweep, or Synapse's own retention, takes it.
    if (sweep.purgePoint !== undefined && sweep.newestExpiredTs > (await lastPurgedUpTo(db, roomId))) {
      const outcome = await runHubJob(jobs, {
        kind: "purge-history",
        roomId,
        caseId,
        upToTs: cutOff,
        upToEventId: sweep.purgePoint,
      });
      if (outcome === "complete") report.purges++;
    }
    if (await syncRetentionState(client, roomId, policy)) report.retentionStatesSet++;
  };

  /** What a crashed run left half done is finished first, with the job Synapse already has. */
  const resumeUnfinishedJobs = async (report: RetentionReport): Promise<void> => {
    for (const job of await listUnfinishedJobs(db)) {
      const outcome = await runHubJob(jobs, {
        kind: job.kind,
        roomId: job.room_id,
        caseId: job.case_id,
        upToTs: job.up_to_ts,
        upToEventId: job.up_to_event_id,
      });
      if (outcome === "complete") report[job.kind === "purge-history" ? "purges" : "roomsDeleted"]++;
    }
  };

  /**
   * Each room is tombstoned first (every server in it shows it ended, partners' included, though only the hub
   * deletes it), then deleted on the hub, and its keys leave the bot's key backup.
   */
  const deleteRooms = async (
    rooms: ReadonlyArray<{ roomId: string; locale: Locale }>,
    caseId: string,
    report: RetentionReport,
  ) => {
    let all = true;
    for (const { roomId, locale } of rooms) {
      await wait();
      const closing = translate(locale, "staff.room.tombstone", { code: caseId });
      await tombstoneRoom(client, roomId, closing).catch((error: unknown) => {
        logger.warn({ caseId, roomId, err: safeError(error) }, "retention: the room could not be tombstoned");
      });
      const outcome = await runHubJob(jobs, { kind: "delete-room", roomId, caseId, upToTs: null });
      if (outcome === "complete") {
        report.roomsDeleted++;
        await forgetRoomKeysInBackup(client, roomId).catch((error: unknown) => {
          logger.warn({ caseId, roomId, err: safeError(error) }, "retention: the room's keys stay in the backup");
        });
      } else all = false;
    }
    return all;
  };

  const sweepCase = async (entry: CaseUnderRetention, report: RetentionReport): Promise<void> => {
    const theCase = entry.case;
    const policy = await policyOf(entry);
    const endedAt =
      theCase.state === "closed" ? theCase.closed_at : theCase.state === "erased" ? theCase.updated_at : null;
    const plan = planCaseRetention(
      {
        state: theCase.state,
        endedAt,
        roomsDeleted: entry.roomsDeletedAt !== null,
        anonymised: entry.anonymisedAt !== null,
      },
      policy,
      now(),
    );
    // Each room's closing line in the language of those who read it: her language, each organisation's staff's.
    const orgRooms = await Promise.all(
      (await listRelayRoomsOfCase(db, theCase.id)).map(async (r) => ({
        roomId: r.org_room_id,
        locale: (await getOrganisation(db, r.org_id))?.staffLanguage ?? "en",
      })),
    );
    const herRoom = theCase.survivor_room_id;
    const hers =
      herRoom === null ? [] : [{ roomId: herRoom, locale: isLocale(theCase.locale) ? theCase.locale : "en" }];
    if (theCase.state === "erased" && herRoom !== null && (await deleteRooms(hers, theCase.id, report))) {
      await forgetSurvivorRoom(db, theCase.id);
    }
    const rooms = [...(theCase.state === "erased" ? [] : hers), ...orgRooms];
    if (plan.purgeBefore !== undefined) {
      for (const { roomId } of rooms) await expireMessages(roomId, theCase.id, policy, plan.purgeBefore, report);
    }
    // Media go when their lifetime has run, and all of them with her erasure or with the rooms.
    const allMedia = theCase.state === "erased" || plan.deleteRooms || entry.roomsDeletedAt !== null;
    const uploadedBy = allMedia ? undefined : now() - policy.mediaLifetimeMs;
    report.mediaDeleted += await deleteCaseMedia({ db, admin: deps.admin, wait }, theCase.id, uploadedBy);
    if (plan.deleteRooms && (await deleteRooms(rooms, theCase.id, report))) {
      await markCaseRoomsDeleted(db, theCase.id, now());
      if (herRoom !== null) await forgetSurvivorRoom(db, theCase.id);
    }
    if (plan.anonymise) {
      await anonymiseCase(db, theCase.id, now());
      report.casesAnonymised++;
    }
  };

  let running: Promise<RetentionReport> | undefined;
  const run = async (): Promise<RetentionReport> => {
    const report = emptyReport();
    await resumeUnfinishedJobs(report);
    let after: { created_at: number; id: string } | undefined;
    for (;;) {
      const page = await listCasesUnderRetention(db, 500, after);
      for (const entry of page) {
        if (stopped) break;
        report.cases++;
        try {
          await sweepCase(entry, report);
        } catch (error) {
          report.failures++;
          logger.warn({ caseId: entry.case.id, err: safeError(error) }, "retention: a case could not be swept");
        }
      }
      const last = page.at(-1);
      if (stopped || page.length < 500 || last === undefined) break;
      after = { created_at: last.case.created_at, id: last.case.id };
    }
    const redacter = deps.offerRedacter?.();
    if (redacter !== undefined && !stopped) {
      try {
        report.offersRedacted += await redactExpiredOffers({ db, redacter, hubPolicy: deps.hubPolicy, wait, now });
      } catch (error) {
        report.failures++;
        logger.warn({ err: safeError(error) }, "retention: expired offers could not all be redacted");
      }
    }
    const { cases: _cases, ...done } = report;
    if (Object.values(done).some((count) => count > 0)) {
      await recordRetentionAudit(db, {
        at: now(),
        actor: "retention-worker",
        action: "sweep",
        case_id: null,
        counts: report,
      });
    }
    logger.info(report, "retention sweep");
    return report;
  };
  const runOnce = (): Promise<RetentionReport> => {
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => logger.error({ err: safeError(error) }, "retention sweep failed"))
        .finally(schedule);
    }, deps.intervalMs);
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
