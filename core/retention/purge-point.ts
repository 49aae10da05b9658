/** What a purge needs to know of one event of a room's history: metadata only. */
export interface HistoryEvent {
  readonly id: string;
  readonly ts: number;
  /** A message (not state, not a redaction): what a lifetime applies to. */
  readonly message: boolean;
}

/**
 * The event a purge of the hub's history may stop at (Synapse deletes what lies before it in the room's order and
 * keeps the event itself), from the room's history read newest first: the oldest message still within its
 * lifetime, or, when every message has expired, the newest event. Undefined when no expired message lies before
 * that point, so there is nothing to purge.
 */
export function purgePoint(newestFirst: readonly HistoryEvent[], beforeTs: number): string | undefined {
  const expired = (event: HistoryEvent): boolean => event.message && event.ts < beforeTs;
  let point = 0;
  newestFirst.forEach((event, index) => {
    if (event.message && !expired(event)) point = index;
  });
  return newestFirst.slice(point + 1).some(expired) ? newestFirst[point]!.id : undefined;
}

/**
 * The history a sweep read, with what came since (read again after its redactions, newest first) in front. When
 * the second read does not reach back to the first, what lies between is unknown and only the sweep's read is used.
 */
export function historySince(sweep: readonly HistoryEvent[], latest: readonly HistoryEvent[]): readonly HistoryEvent[] {
  const first = sweep[0];
  if (first === undefined) return latest;
  const joinAt = latest.findIndex((event) => event.id === first.id);
  return joinAt < 0 ? sweep : [...latest.slice(0, joinAt), ...sweep];
}
