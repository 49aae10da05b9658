// Who may Sign in with Matrix, and with which role.
import { z } from "@hono/zod-openapi";
import { deleteAdminUser, listAdminUsers, putAdminUser } from "../../core/db/repositories/admin-users.ts";
import { isMatrixUserId } from "../../core/organisations/index.ts";
import type { AdminUser } from "../../core/db/schema.ts";
import { defineRoute } from "../define-route.ts";
import type { AdminApp } from "../env.ts";
import { ADMIN_ROLES } from "../principal.ts";
import { problem, problemResponses } from "../problem.ts";

const adminUser = z
  .object({ userId: z.string(), role: z.enum(ADMIN_ROLES), orgId: z.string().nullable(), updatedAt: z.number().int() })
  .openapi("AdminUser");

const userParams = z.object({
  userId: z
    .string()
    .max(255)
    .refine(isMatrixUserId, "expected a Matrix user ID")
    .openapi({ param: { name: "userId", in: "path" }, example: "@alice:hub.example.org" }),
});

const grantBody = z
  .strictObject({ role: z.enum(ADMIN_ROLES), orgId: z.string().min(1).max(64).nullable().default(null) })
  .refine((body) => (body.role === "org_admin") === (body.orgId !== null), {
    message: "orgId is required for org_admin and only for org_admin",
    path: ["orgId"],
  })
  .openapi("AdminGrant");

function shape(row: AdminUser): z.infer<typeof adminUser> {
  return { userId: row.user_id, role: row.role, orgId: row.org_id, updatedAt: row.updated_at };
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const listAdminUsersRoute = defineRoute(
  "admin-users.list",
  { roles: ["superadmin"] },
  {
    method: "get",
    path: "/v1/admin-users",
    summary: "Matrix accounts that may sign in, with their roles",
    responses: { 200: json(z.object({ items: z.array(adminUser) }), "The accounts") },
  },
);

export const putAdminUserRoute = defineRoute(
  "admin-users.put",
  { roles: ["superadmin"] },
  {
    method: "put",
    path: "/v1/admin-users/{userId}",
    summary: "Let a Matrix account sign in with a role",
    request: { params: userParams, body: { required: true, content: { "application/json": { schema: grantBody } } } },
    responses: { 200: json(adminUser, "The account"), ...problemResponses("validation", "unsupported-media-type") },
  },
);

export const deleteAdminUserRoute = defineRoute(
  "admin-users.delete",
  { roles: ["superadmin"] },
  {
    method: "delete",
    path: "/v1/admin-users/{userId}",
    summary: "Stop a Matrix account signing in (its live session tokens stay until revoked or expired)",
    request: { params: userParams },
    responses: { 204: { description: "Removed" }, ...problemResponses("validation", "not-found") },
  },
);

export const adminUserRoutes = [listAdminUsersRoute, putAdminUserRoute, deleteAdminUserRoute];

export function registerAdminUserRoutes(app: AdminApp): void {
  app.openapi(listAdminUsersRoute.route, async (c) => {
    return c.json({ items: (await listAdminUsers(c.var.deps.db)).map(shape) }, 200);
  });
  app.openapi(putAdminUserRoute.route, async (c) => {
    const body = c.req.valid("json");
    const row = await putAdminUser(c.var.deps.db, {
      userId: c.req.valid("param").userId,
      role: body.role,
      orgId: body.orgId,
      at: c.var.deps.now(),
    });
    return c.json(shape(row), 200);
  });
  app.openapi(deleteAdminUserRoute.route, async (c) => {
    if (!(await deleteAdminUser(c.var.deps.db, c.req.valid("param").userId))) {
      return problem(c, "not-found", "that account has no admin role");
    }
    return c.body(null, 204);
  });
}
