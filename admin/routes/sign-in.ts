// Sign in with Matrix: an admin proves her Matrix ID with an OpenID token from her own homeserver; Haven asks
// that server's federation API who owns it, accepts each token once, and issues a short-lived session token.
import { z } from "@hono/zod-openapi";
import { getAdminUser } from "../../core/db/repositories/admin-users.ts";
import { markOpenidTokenUsed } from "../../core/db/repositories/openid-tokens-used.ts";
import { isMatrixUserId, serverNameOf } from "../../core/organisations/index.ts";
import { tokenHash } from "../api-token.ts";
import { issueApiToken } from "../issue-token.ts";
import { clientAddress } from "../client-address.ts";
import { PUBLIC } from "../access.ts";
import { defineRoute } from "../define-route.ts";
import type { AdminApp } from "../env.ts";
import { ADMIN_ROLES } from "../principal.ts";
import { problem, problemResponses } from "../problem.ts";

export const DEFAULT_SESSION_TTL_MS = 60 * 60_000;

const signInBody = z
  .strictObject({
    accessToken: z.string().min(1).max(512).openapi({ description: "`access_token` of the OpenID token" }),
    matrixServerName: z.string().min(1).max(255).openapi({ description: "`matrix_server_name` of the OpenID token" }),
  })
  .openapi("MatrixSignIn");

const session = z
  .object({
    token: z.string(),
    userId: z.string(),
    role: z.enum(ADMIN_ROLES),
    orgId: z.string().nullable(),
    expiresAt: z.number().int(),
  })
  .openapi("Session");

export const signInWithMatrix = defineRoute("auth.matrix", PUBLIC, {
  method: "post",
  path: "/v1/auth/matrix",
  summary: "Exchange an OpenID token from a coalition homeserver for a short-lived session token",
  request: { body: { required: true, content: { "application/json": { schema: signInBody } } } },
  responses: {
    201: { description: "Signed in", content: { "application/json": { schema: session } } },
    ...problemResponses(
      "validation",
      "openid-token-refused",
      "server-not-in-coalition",
      "not-an-admin",
      "rate-limited",
      "unsupported-media-type",
    ),
  },
});

export const signInRoutes = [signInWithMatrix];

export function registerSignInRoutes(app: AdminApp): void {
  app.openapi(signInWithMatrix.route, async (c) => {
    const { deps, limiter, limits } = c.var;
    if (!limiter.take(`auth-ip:${clientAddress(c)}`, limits.authPerIpPerMinute)) return problem(c, "rate-limited");
    const { accessToken, matrixServerName } = c.req.valid("json");
    if (!deps.coalitionServers.includes(matrixServerName)) return problem(c, "server-not-in-coalition");
    const openidHash = tokenHash(`openid:${matrixServerName}:${accessToken}`);
    const userinfo = await deps.openidUserinfo(matrixServerName, accessToken);
    if (!userinfo.ok) return problem(c, "openid-token-refused", userinfo.reason);
    const { userId } = userinfo;
    if (!isMatrixUserId(userId) || serverNameOf(userId) !== matrixServerName) {
      return problem(c, "openid-token-refused", "the token names a user of another server");
    }
    // Marked used only once its owner is known, and atomically: of two racing uses, one wins.
    if (!(await markOpenidTokenUsed(deps.db, openidHash, deps.now()))) {
      return problem(c, "openid-token-refused", "this OpenID token was already used");
    }
    const admin = await getAdminUser(deps.db, userId);
    if (!admin) return problem(c, "not-an-admin");
    const { token, row } = await issueApiToken(deps.db, {
      subject: userId,
      role: admin.role,
      orgId: admin.org_id,
      createdBy: "sign-in-with-matrix",
      now: deps.now(),
      lifetimeMs: deps.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    });
    c.header("cache-control", "no-store");
    return c.json({ token, userId, role: row.role, orgId: row.org_id, expiresAt: row.expires_at }, 201);
  });
}
