// API tokens: created (shown once), listed (never the token), revoked.
import { z } from "@hono/zod-openapi";
import { listLiveApiTokens, revokeApiToken } from "../../core/db/repositories/api-tokens.ts";
import type { ApiToken } from "../../core/db/schema.ts";
import { issueApiToken } from "../issue-token.ts";
import { defineRoute } from "../define-route.ts";
import type { AdminApp } from "../env.ts";
import { ADMIN_ROLES } from "../principal.ts";
import { problem, problemResponses } from "../problem.ts";

const MAX_LIFETIME_S = 366 * 24 * 3600;

const tokenInfo = z
  .object({
    id: z.string(),
    subject: z.string(),
    role: z.enum(ADMIN_ROLES),
    orgId: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.number().int(),
    expiresAt: z.number().int(),
  })
  .openapi("ApiTokenInfo");

export const newTokenBody = z
  .strictObject({
    subject: z.string().min(1).max(255),
    role: z.enum(ADMIN_ROLES),
    orgId: z.string().min(1).max(64).nullable().default(null),
    expiresInSeconds: z.number().int().min(60).max(MAX_LIFETIME_S),
  })
  .refine((body) => (body.role === "org_admin") === (body.orgId !== null), {
    message: "orgId is required for org_admin and only for org_admin",
    path: ["orgId"],
  })
  .openapi("NewApiToken");

function info(row: ApiToken): z.infer<typeof tokenInfo> {
  return {
    id: row.id,
    subject: row.subject,
    role: row.role,
    orgId: row.org_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const listTokens = defineRoute(
  "tokens.list",
  { roles: ["superadmin"] },
  {
    method: "get",
    path: "/v1/tokens",
    summary: "Live API tokens (never the tokens themselves)",
    responses: { 200: json(z.object({ items: z.array(tokenInfo) }), "The live tokens") },
  },
);

export const createToken = defineRoute(
  "tokens.create",
  { roles: ["superadmin"] },
  {
    method: "post",
    path: "/v1/tokens",
    summary: "Create an API token; the response is the only time the token is shown",
    request: { body: { required: true, content: { "application/json": { schema: newTokenBody } } } },
    responses: {
      201: json(tokenInfo.extend({ token: z.string() }).openapi("CreatedApiToken"), "The new token"),
      ...problemResponses("validation", "unsupported-media-type"),
    },
  },
);

export const revokeToken = defineRoute(
  "tokens.revoke",
  { roles: ["superadmin"] },
  {
    method: "delete",
    path: "/v1/tokens/{tokenId}",
    summary: "Revoke an API token",
    request: {
      params: z.object({
        tokenId: z
          .string()
          .min(1)
          .max(64)
          .openapi({ param: { name: "tokenId", in: "path" } }),
      }),
    },
    responses: { 204: { description: "Revoked" }, ...problemResponses("validation", "not-found") },
  },
);

export const tokenRoutes = [listTokens, createToken, revokeToken];

export function registerTokenRoutes(app: AdminApp): void {
  app.openapi(listTokens.route, async (c) => {
    const rows = await listLiveApiTokens(c.var.deps.db, c.var.deps.now());
    return c.json({ items: rows.map(info) }, 200);
  });

  app.openapi(createToken.route, async (c) => {
    const { db, now } = c.var.deps;
    const body = c.req.valid("json");
    const { token, row } = await issueApiToken(db, {
      subject: body.subject,
      role: body.role,
      orgId: body.orgId,
      createdBy: c.var.principal!.subject,
      now: now(),
      lifetimeMs: body.expiresInSeconds * 1000,
    });
    c.header("cache-control", "no-store");
    return c.json({ ...info(row), token }, 201);
  });

  app.openapi(revokeToken.route, async (c) => {
    const revoked = await revokeApiToken(c.var.deps.db, c.req.valid("param").tokenId, c.var.deps.now());
    if (!revoked) return problem(c, "not-found", "no live token with that id");
    return c.body(null, 204);
  });
}
