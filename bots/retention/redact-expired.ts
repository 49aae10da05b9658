import { Direction, EventType, type IRoomEvent, type MatrixClient } from "matrix-js-sdk";
import type { Pace } from "./pace.ts";
import { historySince, purgePoint, type HistoryEvent } from "../../core/retention/purge-point.ts";

export interface RedactionSweep {
  redacted: number;
  /** Messages the bot may not redact (someone else's, in a room where it lacks the power). */
  refused: number;
  /** Newest expired message seen (redacted now or before): what a purge must reach. 0 when none. */
  newestExpiredTs: number;
  /** The event a purge of the hub's history may stop at (see purgePoint); undefined: nothing to purge. */
  purgePoint?: string;
}

const isMessage = (event: IRoomEvent): boolean =>
  (event as { state_key?: unknown }).state_key === undefined && event.type !== (EventType.RoomRedaction as string);

const isRedacted = (event: IRoomEvent): boolean => event.unsigned?.redacted_because !== undefined;

/**
 * Redacts every message in the room sent before `beforeTs` that is not redacted yet (state events stay: Synapse
 * needs them). Redactions federate, so every server in the room drops the content. Reads the room through the
 * server's /messages, newest first, independently of the client's timeline; redacting again what is already
 * redacted never happens, so a sweep interrupted by a crash is simply run again.
 */
export async function redactExpired(
  client: MatrixClient,
  roomId: string,
  beforeTs: number,
  wait: Pace,
): Promise<RedactionSweep> {
  const sweep: RedactionSweep = { redacted: 0, refused: 0, newestExpiredTs: 0 };
  // Read newest first, in the room's order (which backfilled events keep, unlike the hub's arrival order).
  const history: HistoryEvent[] = [];
  const meta = (event: IRoomEvent): HistoryEvent => ({
    id: event.event_id,
    ts: event.origin_server_ts,
    message: isMessage(event),
  });
  let from: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    await wait();
    const response = await client.createMessagesRequest(roomId, from, 100, Direction.Backward);
    for (const event of response.chunk) {
      history.push(meta(event));
      if (!isMessage(event) || event.origin_server_ts >= beforeTs) continue;
      sweep.newestExpiredTs = Math.max(sweep.newestExpiredTs, event.origin_server_ts);
      if (isRedacted(event)) continue;
      await wait();
      try {
        await client.redactEvent(roomId, event.event_id);
        sweep.redacted++;
      } catch (error) {
        if ((error as { errcode?: unknown }).errcode !== "M_FORBIDDEN") throw error;
        sweep.refused++;
      }
    }
    if (!response.end || response.chunk.length === 0) break;
    from = response.end;
  }
  if (sweep.newestExpiredTs === 0) return sweep;
  // Its own redactions (and anything sent meanwhile) are newer than what it read: the purge may reach them.
  await wait();
  const latest = await client.createMessagesRequest(roomId, null, 50, Direction.Backward);
  const point = purgePoint(historySince(history, latest.chunk.map(meta)), beforeTs);
  return point === undefined ? sweep : { ...sweep, purgePoint: point };
}
