import { caseTransitions, type CaseState } from "./states.ts";

export interface TransitionRequest {
  from: CaseState;
  to: CaseState;
  /** Who moved it: a bot's or responder's Matrix ID, an admin token's subject, or "system". */
  actor: string;
  at: number;
  /** The accountable organisation after the move (null when nobody holds the case). */
  orgId: string | null;
  /** Why, in words for the custody record: a routing rule, "sla-expired", "released", … never survivor content. */
  reason?: string;
}

export interface HistoryEntry {
  fromState: CaseState;
  toState: CaseState;
  actor: string;
  at: number;
  orgId: string | null;
  reason: string | null;
}

export type TransitionResult =
  { ok: true; entry: HistoryEntry } | { ok: false; reason: "illegal-transition"; from: CaseState; to: CaseState };

/** The core's ruling on a move: callers cannot make an illegal one, they only get this answer back. */
export function planTransition(request: TransitionRequest): TransitionResult {
  if (!caseTransitions[request.from].includes(request.to)) {
    return { ok: false, reason: "illegal-transition", from: request.from, to: request.to };
  }
  return {
    ok: true,
    entry: {
      fromState: request.from,
      toState: request.to,
      actor: request.actor,
      at: request.at,
      orgId: request.orgId,
      reason: request.reason ?? null,
    },
  };
}
