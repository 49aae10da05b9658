import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { newCaseCode } from "../../core/cases/case-code.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import type { BotClient } from "../../core/matrix/bot-client.ts";
import type { Database } from "../../core/db/schema.ts";
import { getOpenCaseBySurvivor, insertCase } from "../../core/db/repositories/cases.ts";
import { appendCaseHistory } from "../../core/db/repositories/case-history.ts";
import { moveCase } from "../../core/db/case-transitions.ts";
import { caseRoomName, createCaseRoom } from "./case-room.ts";
import type { Triage } from "./dialogue.ts";

export interface OpenCaseInput {
  bot: BotClient;
  db: Kysely<Database>;
  logger: Logger;
  now: () => Date;
  retentionMs: number;
  survivor: string;
  locale: Locale;
  triage: Triage;
}

/**
 * Opens her case: the row and its first history entries, the case room and the invitation (the room's first
 * message waits for her join: history is visible only from then). Safe to repeat after a crash: an open case of hers is reused, and a
 * room already made for it is not made again.
 */
export async function openCase(input: OpenCaseInput): Promise<{ code: string; roomName: string }> {
  const { db, bot, survivor, locale, triage } = input;
  let current = await getOpenCaseBySurvivor(db, survivor);
  if (!current) {
    const at = input.now().getTime();
    for (let attempt = 0; attempt < 5 && !current; attempt++) {
      const code = newCaseCode(randomBytes);
      current = await db.transaction().execute(async (trx) => {
        const inserted = await insertCase(trx, {
          id: code,
          state: "intake",
          survivor_mxid: survivor,
          survivor_room_id: null,
          locale,
          category: triage.category,
          province: triage.province,
          service_language: triage.language,
          urgent: triage.urgent === true,
          under18: triage.ageGroup === "under18",
          consent_summary: triage.consentSummary,
          org_id: null,
          created_at: at,
          updated_at: at,
          closed_at: null,
        });
        if (!inserted.ok) return undefined;
        await appendCaseHistory(trx, {
          case_id: code,
          at,
          from_state: null,
          to_state: "intake",
          actor: bot.userId,
          org_id: null,
          reason: "triage-complete",
        });
        return inserted.case;
      });
    }
    if (!current) throw new Error("could not find a free case code in 5 tries");
  }
  const code = current.id;
  const roomName = caseRoomName(locale, code);
  if (current.survivor_room_id === null) {
    const roomId = await createCaseRoom(bot.client, {
      code,
      locale,
      survivorMxid: survivor,
      retentionMs: input.retentionMs,
    });
    await db.updateTable("cases").set({ survivor_room_id: roomId }).where("id", "=", code).execute();
    input.logger.info({ caseCode: code, roomId }, "case room created");
  }
  if (current.state === "intake") {
    const moved = await moveCase(db, {
      code,
      to: "waiting",
      actor: bot.userId,
      at: input.now().getTime(),
      reason: "case-room-ready",
    });
    if (!moved.ok) input.logger.warn({ caseCode: code, result: moved.reason }, "case not moved to waiting");
  }
  return { code, roomName };
}
