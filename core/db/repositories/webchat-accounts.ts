// The web chat's anonymous accounts: a slow hash of her return code's derivative and her Matrix ID, nothing else.
import type { NewWebchatAccount, WebchatAccount } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

/** Records an account; false when the hash is already taken (the browser then draws a new code). */
export async function insertWebchatAccount(db: DbExecutor, account: NewWebchatAccount): Promise<boolean> {
  const inserted = await db
    .insertInto("webchat_accounts")
    .values(account)
    .onConflict((conflict) => conflict.column("code_hash").doNothing())
    .returning("user_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function getWebchatAccountByHash(db: DbExecutor, codeHash: string): Promise<WebchatAccount | undefined> {
  return db.selectFrom("webchat_accounts").selectAll().where("code_hash", "=", codeHash).executeTakeFirst();
}

export async function getWebchatAccountByUser(db: DbExecutor, userId: string): Promise<WebchatAccount | undefined> {
  return db.selectFrom("webchat_accounts").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

export async function deleteWebchatAccount(db: DbExecutor, userId: string): Promise<void> {
  await db.deleteFrom("webchat_accounts").where("user_id", "=", userId).execute();
}
