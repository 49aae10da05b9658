// When the bridge bot may change its typing notification in a room: pure, over what it last sent and when.

/** What the bot last told a room. */
export interface TypingShown {
  shown: boolean;
  /** When the bot last sent a typing update to the room; undefined before the first. */
  lastSentAt: number | undefined;
}

export interface TypingLimits {
  /** Fewest milliseconds between two typing updates to one room: someone typing in bursts does not flood it. */
  minIntervalMs: number;
  /** While someone keeps typing, "typing" is sent again this often, before the server's timeout hides it. */
  refreshMs: number;
}

export type TypingDecision = { kind: "send"; typing: boolean } | { kind: "wait"; ms: number } | { kind: "none" };

/** Whether to send `wanted` now, to look again after a while (too soon, or time to refresh), or to do nothing. */
export function typingDecision(state: TypingShown, wanted: boolean, now: number, limits: TypingLimits): TypingDecision {
  const since = state.lastSentAt === undefined ? Number.POSITIVE_INFINITY : now - state.lastSentAt;
  const due = wanted && state.shown && since >= limits.refreshMs;
  if (wanted === state.shown && !due) return wanted ? { kind: "wait", ms: limits.refreshMs - since } : { kind: "none" };
  if (since < limits.minIntervalMs) return { kind: "wait", ms: limits.minIntervalMs - since };
  return { kind: "send", typing: wanted };
}
