// Case history: append-only. There is deliberately no update or delete here; rows go only when
// their case is erased (ON DELETE CASCADE).
import type { CaseHistoryEntry, NewCaseHistoryEntry } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export async function appendCaseHistory(db: DbExecutor, entry: NewCaseHistoryEntry): Promise<CaseHistoryEntry> {
  return db.insertInto("case_history").values(entry).returningAll().executeTakeFirstOrThrow();
}

/** The case's history in the order it was written. */
export async function listCaseHistory(db: DbExecutor, caseCode: string): Promise<CaseHistoryEntry[]> {
  return db.selectFrom("case_history").selectAll().where("case_id", "=", caseCode).orderBy("id").execute();
}
