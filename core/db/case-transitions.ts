import type { Kysely, Transaction } from "kysely";
import { planTransition } from "../cases/transition.ts";
import type { CaseState } from "../cases/states.ts";
import { appendCaseHistory } from "./repositories/case-history.ts";
import { getCaseByCode, updateCaseState } from "./repositories/cases.ts";
import type { Case, Database } from "./schema.ts";

export interface CaseMove {
  code: string;
  to: CaseState;
  actor: string;
  at: number;
  /** The accountable organisation afterwards; omitted keeps the current one. */
  orgId?: string | null;
  reason?: string;
  /**
   * What the caller saw before deciding on this move. A case found in any other state (or held by another
   * organisation) is `stale`, even when the move from where it is now would be legal: a re-offer decided on an
   * `offered` case must not turn into a transfer of the `claimed` case it has become meanwhile.
   */
  expected?: { states: readonly CaseState[]; orgId?: string | null };
}

export type CaseMoveResult =
  | { ok: true; case: Case }
  | { ok: false; reason: "not-found" }
  | { ok: false; reason: "illegal-transition"; from: CaseState; to: CaseState }
  | { ok: false; reason: "stale"; actual: CaseState };

/**
 * Moves a case and appends its history entry in one transaction, with the core deciding whether the move is
 * legal. Two racing moves from the same state: one wins, the other gets `stale`.
 */
export async function moveCase(db: Kysely<Database>, move: CaseMove): Promise<CaseMoveResult> {
  return db.transaction().execute((trx) => moveCaseWithin(trx, move));
}

/** `moveCase` inside the caller's transaction, for use cases that change more than the case in one go. */
export async function moveCaseWithin(trx: Transaction<Database>, move: CaseMove): Promise<CaseMoveResult> {
  const current = await getCaseByCode(trx, move.code);
  if (!current) return { ok: false, reason: "not-found" };
  const { expected } = move;
  if (
    expected !== undefined &&
    (!expected.states.includes(current.state) || (expected.orgId !== undefined && expected.orgId !== current.org_id))
  ) {
    return { ok: false, reason: "stale", actual: current.state };
  }
  const orgId = move.orgId === undefined ? current.org_id : move.orgId;
  const plan = planTransition({
    from: current.state,
    to: move.to,
    actor: move.actor,
    at: move.at,
    orgId,
    ...(move.reason !== undefined && { reason: move.reason }),
  });
  if (!plan.ok) return plan;
  // Guarded on the state just read: a writer that committed in between makes this update miss (`stale`).
  const updated = await updateCaseState(trx, {
    code: move.code,
    expected: current.state,
    to: move.to,
    at: move.at,
    orgId,
    ...(move.to === "closed" && { closedAt: move.at }),
  });
  if (!updated.ok) return updated;
  await appendCaseHistory(trx, {
    case_id: move.code,
    at: plan.entry.at,
    from_state: plan.entry.fromState,
    to_state: plan.entry.toState,
    actor: plan.entry.actor,
    org_id: plan.entry.orgId,
    reason: plan.entry.reason,
  });
  return updated;
}
