import { MatrixScheduler, type MatrixEvent } from "matrix-js-sdk";

/**
 * Which send queue an outgoing event waits in: matrix-js-sdk's default puts every message, redaction and
 * relation of the client into one queue, "message", so a bot talking in many rooms sent one event at a time
 * across all of them: each survivor's reply waited for every other room's sends (bench scenario 4). One queue per
 * room keeps what the default queue is for (order within a room; a relation or redaction sent after the event
 * it points to) and lets rooms send side by side. Events the default does not queue are not queued.
 */
export function perRoomQueue(event: MatrixEvent): string | null {
  const shared = MatrixScheduler.QUEUE_MESSAGES(event);
  return shared === null ? null : `${shared}:${event.getRoomId() ?? ""}`;
}

/** The SDK's scheduler with its own retry policy (back off on rate limits), queued per room. */
export function perRoomScheduler(): MatrixScheduler {
  return new MatrixScheduler(
    (event, attempts, err) => MatrixScheduler.RETRY_BACKOFF_RATELIMIT(event, attempts, err),
    perRoomQueue,
  );
}
