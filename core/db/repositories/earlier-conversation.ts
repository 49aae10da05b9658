// On a transfer: whether she let the new organisation read the earlier conversation. Answers and times only.
import type { EarlierConversationAnswer, EarlierConversationConsent } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

const fromRow = (row: EarlierConversationConsent): EarlierConversationConsent => ({
  ...row,
  transfer_id: Number(row.transfer_id),
  asked_at: Number(row.asked_at),
  answered_at: row.answered_at === null ? null : Number(row.answered_at),
  passed_at: row.passed_at === null ? null : Number(row.passed_at),
});

/** Records that she was asked about this transfer; false when she already was. */
export async function recordEarlierConversationQuestion(
  db: DbExecutor,
  question: { case_id: string; transfer_id: number; to_org_id: string; asked_at: number },
): Promise<boolean> {
  const inserted = await db
    .insertInto("earlier_conversation_consents")
    .values({ ...question, answer: null, answered_at: null, passed_at: null })
    .onConflict((conflict) => conflict.columns(["case_id", "transfer_id"]).doNothing())
    .returning("case_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The question of the case's latest transfer, answered or not. */
export async function latestEarlierConversationQuestion(
  db: DbExecutor,
  caseId: string,
): Promise<EarlierConversationConsent | undefined> {
  const row = await db
    .selectFrom("earlier_conversation_consents")
    .selectAll()
    .where("case_id", "=", caseId)
    .orderBy("transfer_id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** Records her answer; false when the question was already answered. */
export async function answerEarlierConversationQuestion(
  db: DbExecutor,
  answer: { case_id: string; transfer_id: number; answer: EarlierConversationAnswer; at: number },
): Promise<boolean> {
  const updated = await db
    .updateTable("earlier_conversation_consents")
    .set({ answer: answer.answer, answered_at: answer.at })
    .where("case_id", "=", answer.case_id)
    .where("transfer_id", "=", answer.transfer_id)
    .where("answer", "is", null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

export async function markEarlierConversationPassed(
  db: DbExecutor,
  caseId: string,
  transferId: number,
  at: number,
): Promise<void> {
  await db
    .updateTable("earlier_conversation_consents")
    .set({ passed_at: at })
    .where("case_id", "=", caseId)
    .where("transfer_id", "=", transferId)
    .execute();
}
