// Authentication (bearer token) and authorisation (the route's Access) in one route middleware.
import type { Context, MiddlewareHandler } from "hono";
import { findLiveApiToken } from "../core/db/repositories/api-tokens.ts";
import { getCaseByCode } from "../core/db/repositories/cases.ts";
import { getService } from "../core/db/repositories/services.ts";
import type { Access, OrgScope } from "./access.ts";
import { sameSecret, tokenHash } from "./api-token.ts";
import { clientAddress } from "./client-address.ts";
import type { AdminEnv } from "./env.ts";
import type { Principal } from "./principal.ts";
import { problem } from "./problem.ts";

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

async function authenticate(c: Context<AdminEnv>): Promise<Principal | undefined> {
  const header = c.req.header("authorization");
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  if (token === undefined) return undefined;
  const { deps } = c.var;
  if (deps.bootstrapToken !== undefined && sameSecret(token, deps.bootstrapToken)) {
    return { subject: "bootstrap", role: "superadmin", orgId: null, tokenId: null };
  }
  const row = await findLiveApiToken(deps.db, tokenHash(token), deps.now());
  return row && { subject: row.subject, role: row.role, orgId: row.org_id, tokenId: row.id };
}

/** The `organisationId` of a JSON body, or undefined when the body is not JSON or has none (validation's 400). */
async function bodyOrganisationId(c: Context<AdminEnv>): Promise<string | undefined> {
  try {
    const body: unknown = JSON.parse(await c.req.text());
    const orgId =
      typeof body === "object" && body !== null ? (body as Record<string, unknown>)["organisationId"] : undefined;
    return typeof orgId === "string" ? orgId : undefined;
  } catch {
    return undefined;
  }
}

/** The organisation that owns the route's target, or undefined when the target does not exist. */
async function targetOrg(
  c: Context<AdminEnv>,
  scope: Exclude<OrgScope, "filtered">,
): Promise<string | null | undefined> {
  switch (scope) {
    case "org-param":
      return c.req.param("orgId");
    case "case-param":
      return (await getCaseByCode(c.var.deps.db, c.req.param("code") ?? ""))?.org_id;
    case "service-param":
      return (await getService(c.var.deps.db, c.req.param("serviceId") ?? ""))?.organisationId;
    case "body-org":
      return bodyOrganisationId(c);
  }
}

export function authorize(routeId: string, access: Access): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    c.set("routeId", routeId);
    if (access.public === true) return next();
    const principal = await authenticate(c);
    const { limiter, limits } = c.var;
    if (principal === undefined) {
      if (!limiter.take(`auth-ip:${clientAddress(c)}`, limits.authPerIpPerMinute)) return problem(c, "rate-limited");
      return problem(c, "unauthenticated");
    }
    c.set("principal", principal);
    if (!limiter.take(`token:${principal.tokenId ?? principal.subject}`, limits.perTokenPerMinute)) {
      return problem(c, "rate-limited");
    }
    if (!access.roles.includes(principal.role))
      return problem(c, "forbidden", `needs one of: ${access.roles.join(", ")}`);
    const scope = access.orgScope;
    if (principal.role === "org_admin" && scope !== undefined && scope !== "filtered") {
      const owner = await targetOrg(c, scope);
      // A target that does not exist is the handler's 404; one held by another organisation is refused here.
      if (owner !== undefined && (principal.orgId === null || owner !== principal.orgId)) {
        return problem(c, "other-organisation");
      }
    }
    return next();
  };
}
