// Issuing an API token: the one place a token is made, for the API, Sign in with Matrix and `haven create-token`.
import { insertApiToken } from "../core/db/repositories/api-tokens.ts";
import type { DbExecutor } from "../core/db/repositories/executor.ts";
import type { ApiToken } from "../core/db/schema.ts";
import { newApiToken, tokenHash } from "./api-token.ts";
import type { AdminRole } from "./principal.ts";

export interface TokenRequest {
  subject: string;
  role: AdminRole;
  orgId: string | null;
  createdBy: string;
  now: number;
  lifetimeMs: number;
}

/** Stores the hash of a new token and returns the token itself: the only time anyone sees it. */
export async function issueApiToken(db: DbExecutor, request: TokenRequest): Promise<{ token: string; row: ApiToken }> {
  const { token, id } = newApiToken();
  const row = await insertApiToken(db, {
    id,
    tokenHash: tokenHash(token),
    subject: request.subject,
    role: request.role,
    orgId: request.orgId,
    createdBy: request.createdBy,
    createdAt: request.now,
    expiresAt: request.now + request.lifetimeMs,
  });
  return { token, row };
}
