import type { AdminRole } from "../core/db/schema.ts";

export { ADMIN_ROLES, type AdminRole } from "../core/db/schema.ts";

/** Who is calling: established from the bearer token by admin/authenticate.ts. */
export interface Principal {
  /** A Matrix ID after Sign in with Matrix, `bootstrap`, or the name an issuer gave a token. */
  readonly subject: string;
  readonly role: AdminRole;
  /** Set for org_admin: the organisation she acts for. */
  readonly orgId: string | null;
  /** Null for the bootstrap token, which is not stored. */
  readonly tokenId: string | null;
}
