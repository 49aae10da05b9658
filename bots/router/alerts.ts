import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { MsgType, type MatrixClient } from "matrix-js-sdk";
import type { Database } from "../../core/db/schema.ts";
import { insertAlert, setAlertEvent } from "../../core/db/repositories/alerts.ts";

export type AlertKind = "offer-escalated" | "fallback-used" | "no-organisation" | "offer-not-posted";

export interface AlertInput {
  kind: AlertKind;
  caseId: string | null;
  orgId: string | null;
  at: number;
  /** One line for the review team: case codes, organisations and times only. */
  text: string;
}

/**
 * Tells the review team: recorded first (so nothing is lost if the room cannot be reached), then posted in the
 * monitors' room with a transaction ID of the alert's own, so a retry never posts it twice.
 */
export async function raiseAlert(
  deps: { client: MatrixClient; db: Kysely<Database>; logger: Logger; monitorsRoomId: string | undefined },
  alert: AlertInput,
): Promise<void> {
  const row = await insertAlert(deps.db, {
    kind: alert.kind,
    case_id: alert.caseId,
    org_id: alert.orgId,
    at: alert.at,
    event_id: null,
    acked_by: null,
    acked_at: null,
  });
  deps.logger.warn({ alert: alert.kind, caseCode: alert.caseId, orgId: alert.orgId }, "alert raised");
  if (deps.monitorsRoomId === undefined) return;
  try {
    const ack = alert.caseId === null ? "" : `\nReply !ack ${alert.caseId} once you have looked.`;
    const { event_id: eventId } = await deps.client.sendMessage(
      deps.monitorsRoomId,
      { msgtype: MsgType.Notice, body: `⚠ ${alert.text}${ack}` },
      `alert-${row.id}`,
    );
    await setAlertEvent(deps.db, row.id, eventId);
  } catch (error) {
    deps.logger.error({ alert: alert.kind, err: error }, "could not post an alert to the monitors' room");
  }
}
