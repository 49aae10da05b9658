// A route of the admin API: its OpenAPI contract (zod) and who may call it, declared together so that no route
// exists without an Access entry.
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Access } from "./access.ts";
import { authorize } from "./authorize.ts";
import { problemResponses } from "./problem.ts";

export interface RouteDefinition<R extends RouteConfig = RouteConfig> {
  readonly id: string;
  readonly access: Access;
  readonly route: R;
}

function accessText(access: Access): string {
  if (access.public === true) return "Public.";
  const scope = access.orgScope === undefined ? "" : ` (org_admin: ${access.orgScope})`;
  return `Roles: ${access.roles.join(", ")}${scope}.`;
}

export function defineRoute<const R extends Omit<RouteConfig, "middleware">>(id: string, access: Access, config: R) {
  if (access.public !== true && access.roles.includes("org_admin") && access.orgScope === undefined) {
    throw new Error(`route ${id}: org_admin is allowed, so it needs an orgScope`);
  }
  const authResponses = access.public === true ? {} : problemResponses("unauthenticated", "forbidden", "rate-limited");
  const bodyResponses =
    config.method === "get"
      ? {}
      : config.request?.body === undefined
        ? problemResponses("payload-too-large")
        : problemResponses("bad-request", "validation", "payload-too-large", "unsupported-media-type");
  const route = createRoute({
    ...config,
    operationId: id,
    description: [config.description, accessText(access)].filter(Boolean).join(" "),
    ...(access.public !== true && { security: [{ bearer: [] }] }),
    responses: { ...authResponses, ...bodyResponses, ...config.responses },
    middleware: [authorize(id, access)] as const,
  });
  return { id, access, route } as const;
}
