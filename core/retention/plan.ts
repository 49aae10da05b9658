// What retention owes one case at a given moment, decided from metadata alone. Pure: no I/O.
import type { RetentionPolicy } from "./policy.ts";

export interface CaseRetentionFacts {
  readonly state: "intake" | "waiting" | "offered" | "claimed" | "active" | "closed" | "erased";
  /** When the case was closed or erased; null while open. */
  readonly endedAt: number | null;
  readonly roomsDeleted: boolean;
  readonly anonymised: boolean;
}

export interface CaseRetentionPlan {
  /** Events older than this are redacted and purged from the case's rooms; undefined once the rooms are gone. */
  readonly purgeBefore: number | undefined;
  readonly deleteRooms: boolean;
  readonly anonymise: boolean;
}

/**
 * Open cases: messages older than the message lifetime go. Closed and erased cases: the same, and after the
 * grace the rooms are deleted (erasure deletes her own room at once; the grace keeps the organisation's room, with
 * the notice that she has left, for a while). Metadata loses the survivor's ID and the room
 * mappings once its lifetime has run from the case's end, and never before the rooms are gone.
 */
export function planCaseRetention(facts: CaseRetentionFacts, policy: RetentionPolicy, now: number): CaseRetentionPlan {
  const ended = facts.state === "closed" || facts.state === "erased";
  const endedAt = facts.endedAt ?? now;
  const deleteRooms = !facts.roomsDeleted && ended && now - endedAt >= policy.graceAfterCloseMs;
  const roomsGone = facts.roomsDeleted || deleteRooms;
  return {
    purgeBefore: roomsGone ? undefined : now - policy.messageLifetimeMs,
    deleteRooms,
    anonymise: ended && !facts.anonymised && roomsGone && now - endedAt >= policy.metadataLifetimeMs,
  };
}

/** The `m.room.retention` content for a room under this policy. */
export function roomRetentionContent(policy: RetentionPolicy): { max_lifetime: number } {
  return { max_lifetime: policy.messageLifetimeMs };
}
