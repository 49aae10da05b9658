import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { MsgType, type MatrixClient } from "matrix-js-sdk";
import type { Database } from "../../core/db/schema.ts";
import type { Alert } from "../../core/db/schema.ts";
import { insertAlert, listUnpostedAlerts, setAlertEvent } from "../../core/db/repositories/alerts.ts";
import type { Locale } from "../../core/i18n/locales.ts";
import { translate } from "../../core/i18n/translate.ts";

export type AlertKind =
  "offer-escalated" | "fallback-used" | "no-organisation" | "offer-not-posted" | "reply-overdue" | RecordedAlertKind;

/** Alerts the bridge records for the router to post (it is not in the monitors' room). */
export type RecordedAlertKind = "relay-halted" | "undecryptable";
const recordedAlertKinds: readonly RecordedAlertKind[] = ["relay-halted", "undecryptable"];

function recordedAlertText(locale: Locale, alert: Alert): string {
  const params = { code: alert.case_id ?? "-", time: new Date(Number(alert.at)).toISOString().slice(11, 16) };
  return translate(locale, alert.kind === "relay-halted" ? "alert.relayHalted" : "alert.undecryptable", params);
}

export interface AlertInput {
  kind: AlertKind;
  caseId: string | null;
  orgId: string | null;
  at: number;
  /** One line for the review team, in `AlertDeps.locale`: case codes, organisations and times only. */
  text: string;
}

/**
 * Tells the review team: recorded first (so nothing is lost if the room cannot be reached), then posted in the
 * monitors' room with a transaction ID of the alert's own, so a retry never posts it twice.
 */
export interface AlertDeps {
  client: MatrixClient;
  db: Kysely<Database>;
  logger: Logger;
  monitorsRoomId: string | undefined;
  /** The review team's language. */
  locale: Locale;
}

export async function raiseAlert(deps: AlertDeps, alert: AlertInput): Promise<void> {
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
  await postAlert(deps, row, alert.text);
}

async function postAlert(deps: AlertDeps, row: Alert, text: string): Promise<void> {
  if (deps.monitorsRoomId === undefined) return;
  try {
    const ack = row.case_id === null ? "" : `\n${translate(deps.locale, "alert.ackHint", { code: row.case_id })}`;
    const { event_id: eventId } = await deps.client.sendMessage(
      deps.monitorsRoomId,
      { msgtype: MsgType.Notice, body: `⚠ ${text}${ack}` },
      `alert-${row.id}`,
    );
    await setAlertEvent(deps.db, row.id, eventId);
  } catch (error) {
    deps.logger.error({ alert: row.kind, err: error }, "could not post an alert to the monitors' room");
  }
}

/** Posts what the bridge recorded: the same transaction ID per alert, so a retry never posts it twice. */
export async function postRecordedAlerts(deps: AlertDeps): Promise<void> {
  if (deps.monitorsRoomId === undefined) return;
  for (const row of await listUnpostedAlerts(deps.db, recordedAlertKinds)) {
    await postAlert(deps, row, recordedAlertText(deps.locale, row));
  }
}
