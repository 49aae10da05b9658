// Intake conversations: one row per survivor talking to the intake bot. Enums only.
import type { IntakeConversation, NewIntakeConversation } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export async function getIntakeConversation(
  db: DbExecutor,
  survivorMxid: string,
): Promise<IntakeConversation | undefined> {
  return db.selectFrom("intake_conversations").selectAll().where("survivor_mxid", "=", survivorMxid).executeTakeFirst();
}

export async function saveIntakeConversation(db: DbExecutor, row: NewIntakeConversation): Promise<void> {
  await db
    .insertInto("intake_conversations")
    .values(row)
    .onConflict((conflict) =>
      conflict.column("survivor_mxid").doUpdateSet((eb) => ({
        room_id: eb.ref("excluded.room_id"),
        locale: eb.ref("excluded.locale"),
        step: eb.ref("excluded.step"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

export async function deleteIntakeConversation(db: DbExecutor, survivorMxid: string): Promise<void> {
  await db.deleteFrom("intake_conversations").where("survivor_mxid", "=", survivorMxid).execute();
}
