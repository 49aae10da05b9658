// OpenID tokens already exchanged for an admin session, by SHA-256: each is accepted once.
import type { DbExecutor } from "./executor.ts";

/** Records the token as used; false when it had been used before (a replay). */
export async function markOpenidTokenUsed(db: DbExecutor, tokenHash: string, at: number): Promise<boolean> {
  const inserted = await db
    .insertInto("openid_tokens_used")
    .values({ token_hash: tokenHash, used_at: at })
    .onConflict((conflict) => conflict.column("token_hash").doNothing())
    .returning("token_hash")
    .executeTakeFirst();
  return inserted !== undefined;
}
