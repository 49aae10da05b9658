import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AuditWriter } from "./audit.ts";
import type { AdminDeps } from "./deps.ts";
import type { AdminMetrics } from "./metrics.ts";
import type { Principal } from "./principal.ts";
import type { RateLimiter, RateLimits } from "./rate-limit.ts";

/** What every request's context carries: set by admin/app.ts and admin/authorize.ts. */
export interface AdminEnv {
  Variables: {
    requestId: string;
    deps: AdminDeps;
    audit: AuditWriter;
    limiter: RateLimiter;
    limits: RateLimits;
    metrics: AdminMetrics;
    principal: Principal | undefined;
    /** The route table entry that matched, for the audit record. */
    routeId: string | undefined;
  };
}

export type AdminApp = OpenAPIHono<AdminEnv>;
