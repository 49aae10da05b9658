import { MsgType, type MatrixClient } from "matrix-js-sdk";
import { translate } from "../../core/i18n/translate.ts";
import { isLocale } from "../../core/i18n/locales.ts";
import type { Case } from "../../core/db/schema.ts";
import { formatDuration } from "./format-duration.ts";

/** Minutes a survivor is told she may wait; the routing issue makes this each organisation's own SLA. */
const promisedReplyMinutes = 5;

/**
 * What she reads first in her case room, once she has joined (history is visible to a member only from her
 * join): what happens next, who sees her messages, how long they are kept. Sent once: the transaction ID is
 * the case's.
 */
export async function welcomeToCaseRoom(client: MatrixClient, theCase: Case, retentionMs: number): Promise<void> {
  if (theCase.survivor_room_id === null) return;
  const locale = isLocale(theCase.locale) ? theCase.locale : "en";
  const lines = [
    translate(locale, "caseRoom.welcome", {
      code: theCase.id,
      sla: promisedReplyMinutes,
      retention: formatDuration(locale, retentionMs),
    }),
  ];
  if (theCase.urgent) lines.push(translate(locale, "caseRoom.urgentNote"));
  await client.sendMessage(
    theCase.survivor_room_id,
    { msgtype: MsgType.Text, body: lines.join("\n\n") },
    `case-welcome-${theCase.id}`,
  );
}
