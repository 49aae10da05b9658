// Admin API tokens: looked up by the SHA-256 of the presented token; the token itself is never stored.
import type { AdminRole, ApiToken } from "../schema.ts";
import type { DbExecutor } from "./executor.ts";

export interface NewApiToken {
  id: string;
  tokenHash: string;
  subject: string;
  role: AdminRole;
  orgId: string | null;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
}

export async function insertApiToken(db: DbExecutor, token: NewApiToken): Promise<ApiToken> {
  return db
    .insertInto("api_tokens")
    .values({
      id: token.id,
      token_hash: token.tokenHash,
      subject: token.subject,
      role: token.role,
      org_id: token.orgId,
      created_by: token.createdBy,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The token with this hash if it is neither revoked nor expired at `now`. */
export async function findLiveApiToken(db: DbExecutor, tokenHash: string, now: number): Promise<ApiToken | undefined> {
  return db
    .selectFrom("api_tokens")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

export async function getApiToken(db: DbExecutor, id: string): Promise<ApiToken | undefined> {
  return db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Tokens that are neither revoked nor expired, newest first. */
export async function listLiveApiTokens(db: DbExecutor, now: number): Promise<ApiToken[]> {
  return db
    .selectFrom("api_tokens")
    .selectAll()
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
}

/** Revokes a live token; false when there is none with that id or it was already revoked. */
export async function revokeApiToken(db: DbExecutor, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
