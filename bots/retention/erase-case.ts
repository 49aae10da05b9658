import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { Direction, MsgType, type MatrixClient } from "matrix-js-sdk";
import type { Database } from "../../core/db/schema.ts";
import { getCaseByCode } from "../../core/db/repositories/cases.ts";
import { getOrganisation } from "../../core/db/repositories/organisations.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import { translate } from "../../core/i18n/translate.ts";
import { moveCase } from "../../core/db/case-transitions.ts";
import { listRelayedEventsForCase } from "../../core/db/repositories/relay.ts";
import {
  forgetSurvivor,
  forgetSurvivorRoom,
  listRelayRoomsOfCase,
  listUnerasedCasesOfSurvivor,
  recordRetentionAudit,
} from "../../core/db/repositories/retention.ts";
import { safeError } from "../../core/log/safe-error.ts";
import { redactExpired } from "./redact-expired.ts";
import { runHubJob, type HubJobDeps } from "./hub-jobs.ts";
import { deleteCaseMedia } from "./delete-media.ts";
import { forgetRoomKeysInBackup } from "./forget-room-keys.ts";

export interface ErasureDeps extends HubJobDeps {
  /** The intake bot's client: creator and admin of the case rooms and the org-side rooms. */
  client: MatrixClient;
  db: Kysely<Database>;
  logger: Logger;
}

export interface ErasureCounts {
  [count: string]: number;
  messagesRedacted: number;
  relayedCopiesRedacted: number;
  roomsDeleted: number;
  orgRoomsTold: number;
  mediaDeleted: number;
}

export type ErasureResult = { ok: true; counts: ErasureCounts } | { ok: false; reason: "not-found" };

/** What the organisation's responders read when she has gone, in their staff language. */
export const survivorLeftText = (locale: Locale, code: string): string =>
  translate(locale, "staff.room.survivorLeft", { code });

const leftTxnId = (code: string, roomId: string): string =>
  `haven-left-${code}-${Buffer.from(roomId).toString("base64url")}`;

/**
 * Erases a case (quick exit, or a right-to-erasure request): every message in her case room is redacted (so that
 * every server in it drops them) and the room is deleted on the hub, which removes her; the organisation's room is
 * told she has left and the copies of her messages there are redacted and purged on the hub; the
 * case becomes `erased` and forgets her ID, her room and the relayed-event mappings; the audit records who asked
 * and the counts. Safe to run again after a crash: what is done is not done twice.
 */
export async function eraseCase(deps: ErasureDeps, caseId: string, actor: string): Promise<ErasureResult> {
  const { client, db, logger, now } = deps;
  const theCase = await getCaseByCode(db, caseId);
  if (!theCase) return { ok: false, reason: "not-found" };
  const counts: ErasureCounts = {
    messagesRedacted: 0,
    relayedCopiesRedacted: 0,
    roomsDeleted: 0,
    orgRoomsTold: 0,
    mediaDeleted: 0,
  };

  // Her own room first: it is the one on her phone.
  if (theCase.survivor_room_id !== null) {
    const roomId = theCase.survivor_room_id;
    const sweep = await redactExpired(client, roomId, now() + 60_000, deps.wait).catch((error: unknown) => {
      logger.warn({ caseId, roomId, err: safeError(error) }, "erasure: her case room could not be swept");
      return { redacted: 0, refused: 0, newestExpiredTs: 0 };
    });
    counts.messagesRedacted += sweep.redacted;
    // Deleting the room makes her forget it, so her client would never hear she left: she is removed first.
    await client.kick(roomId, theCase.survivor_mxid ?? "").catch(() => undefined);
    const deleted = await runHubJob(deps, { kind: "delete-room", roomId, caseId, upToTs: null });
    if (deleted === "complete") {
      counts.roomsDeleted++;
      await forgetRoomKeysInBackup(client, roomId).catch((error: unknown) => {
        logger.warn({ caseId, roomId, err: safeError(error) }, "erasure: her room's keys stay in the backup");
      });
      await forgetSurvivorRoom(db, caseId);
    } else logger.warn({ caseId, roomId, outcome: deleted }, "erasure: her case room is not deleted yet");
  }

  const relayed = await listRelayedEventsForCase(db, caseId);
  for (const relayRoom of await listRelayRoomsOfCase(db, caseId)) {
    const roomId = relayRoom.org_room_id;
    const staffLocale = (await getOrganisation(db, relayRoom.org_id))?.staffLanguage ?? "en";
    try {
      await deps.wait();
      await client.sendMessage(
        roomId,
        { msgtype: MsgType.Notice, body: survivorLeftText(staffLocale, caseId) },
        leftTxnId(caseId, roomId),
      );
      counts.orgRoomsTold++;
      for (const copy of relayed.filter((e) => e.target_room_id === roomId && e.source_room_id !== roomId)) {
        await deps.wait();
        await client.redactEvent(roomId, copy.target_event_id);
        counts.relayedCopiesRedacted++;
      }
      // Everything before the newest event (the last redaction) goes from the hub; the responders' servers keep
      // the notice and the redactions.
      await deps.wait();
      const newest = await client.createMessagesRequest(roomId, null, 1, Direction.Backward);
      const upToEventId = newest.chunk[0]?.event_id ?? null;
      await runHubJob(deps, { kind: "purge-history", roomId, caseId, upToTs: now() + 60_000, upToEventId });
    } catch (error) {
      logger.warn({ caseId, roomId, err: safeError(error) }, "erasure: the org-side room could not be cleared");
    }
  }

  // Her files and their cleaned copies, from the hub's media repository.
  counts.mediaDeleted = await deleteCaseMedia(deps, caseId, undefined).catch((error: unknown) => {
    logger.warn({ caseId, err: safeError(error) }, "erasure: the case's media could not all be deleted yet");
    return 0;
  });

  if (theCase.state !== "erased") {
    const moved = await moveCase(db, { code: caseId, to: "erased", actor, at: now(), reason: "erasure" });
    if (!moved.ok) logger.warn({ caseId, result: moved.reason }, "erasure: case not moved to erased");
  }
  await forgetSurvivor(db, caseId);
  await recordRetentionAudit(db, { at: now(), actor, action: "erase-case", case_id: caseId, counts });
  logger.info({ caseId, ...counts }, "case erased");
  return { ok: true, counts };
}

/** Erases every case of hers that is not erased yet: her quick exit reaches all her rooms. */
export async function eraseSurvivorCases(deps: ErasureDeps, survivorMxid: string, actor: string): Promise<number> {
  const cases = await listUnerasedCasesOfSurvivor(deps.db, survivorMxid);
  for (const theCase of cases) await eraseCase(deps, theCase.id, actor);
  return cases.length;
}
