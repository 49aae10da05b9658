// Cases: one row per case, metadata only.
import { OPEN_CASE_STATES, type Case, type CaseState, type NewCase } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export type InsertCaseResult = { ok: true; case: Case } | { ok: false; reason: "code-taken" };

/** Inserts a new case. A code already in use is an expected outcome (codes are random): pick another. */
export async function insertCase(db: DbExecutor, newCase: NewCase): Promise<InsertCaseResult> {
  const inserted = await db
    .insertInto("cases")
    .values(newCase)
    .onConflict((conflict) => conflict.column("id").doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ? { ok: true, case: inserted } : { ok: false, reason: "code-taken" };
}

export async function getCaseByCode(db: DbExecutor, code: string): Promise<Case | undefined> {
  return db.selectFrom("cases").selectAll().where("id", "=", code).executeTakeFirst();
}

/** The survivor's most recent case that is not closed or erased, if any. */
export async function getOpenCaseBySurvivor(db: DbExecutor, survivorMxid: string): Promise<Case | undefined> {
  return db
    .selectFrom("cases")
    .selectAll()
    .where("survivor_mxid", "=", survivorMxid)
    .where("state", "in", OPEN_CASE_STATES)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

/** Cases in `state`, oldest first. */
export async function listCasesByState(db: DbExecutor, state: CaseState, limit = 1_000): Promise<Case[]> {
  return db
    .selectFrom("cases")
    .selectAll()
    .where("state", "=", state)
    .orderBy("created_at")
    .orderBy("id")
    .limit(limit)
    .execute();
}

export interface CaseStateChange {
  code: string;
  /** The state the caller believes the case is in; the update happens only if it still is. */
  expected: CaseState;
  to: CaseState;
  at: number;
  /** The organisation accountable after the change; omitted = unchanged. */
  orgId?: string | null;
  /** Omitted = unchanged. */
  closedAt?: number | null;
}

export type UpdateCaseStateResult =
  { ok: true; case: Case } | { ok: false; reason: "not-found" } | { ok: false; reason: "stale"; actual: CaseState };

/**
 * Moves a case from `expected` to `to` in one statement, so that of two racing changes only one wins.
 * The loser gets `stale` with the state it lost to. Recording the history entry is the caller's job,
 * in the same transaction.
 */
export async function updateCaseState(db: DbExecutor, change: CaseStateChange): Promise<UpdateCaseStateResult> {
  const updated = await db
    .updateTable("cases")
    .set({
      state: change.to,
      updated_at: change.at,
      ...(change.orgId !== undefined && { org_id: change.orgId }),
      ...(change.closedAt !== undefined && { closed_at: change.closedAt }),
    })
    .where("id", "=", change.code)
    .where("state", "=", change.expected)
    .returningAll()
    .executeTakeFirst();
  if (updated) return { ok: true, case: updated };
  const current = await db.selectFrom("cases").select("state").where("id", "=", change.code).executeTakeFirst();
  return current ? { ok: false, reason: "stale", actual: current.state } : { ok: false, reason: "not-found" };
}

/** The case whose survivor-side room this is, if any. */
export async function getCaseBySurvivorRoom(db: DbExecutor, roomId: string): Promise<Case | undefined> {
  return db.selectFrom("cases").selectAll().where("survivor_room_id", "=", roomId).executeTakeFirst();
}
