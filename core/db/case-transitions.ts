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
  return db.transaction().execute((trx) => moveCaseIn(trx, move));
}

/** `moveCase` inside a transaction the caller owns (with the other writes that must happen with the move). */
export async function moveCaseIn(trx: Transaction<Database>, move: CaseMove): Promise<CaseMoveResult> {
  const current = await getCaseByCode(trx, move.code);
  if (!current) return { ok: false, reason: "not-found" };
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
