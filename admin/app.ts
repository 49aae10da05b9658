// The admin API as a Hono app: createApp(deps) wires middleware, the route table and the OpenAPI document.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { safeError } from "../core/log/safe-error.ts";
import { auditWriter } from "./audit.ts";
import type { AdminDeps } from "./deps.ts";
import type { AdminApp, AdminEnv } from "./env.ts";
import { adminMetrics } from "./metrics.ts";
import { problem, type ProblemKind } from "./problem.ts";
import { DEFAULT_RATE_LIMITS, RateLimiter } from "./rate-limit.ts";
import { registerRoutes, ROUTE_TABLE } from "./route-table.ts";

export const BODY_LIMIT_BYTES = 64 * 1024;
export const OPENAPI_PATH = "/v1/openapi.json";

const STATUS_PROBLEMS: Readonly<Record<number, ProblemKind>> = {
  400: "bad-request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  413: "payload-too-large",
  415: "unsupported-media-type",
  429: "rate-limited",
};

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function validationHook(
  result: { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } },
  c: Context<AdminEnv>,
) {
  if (result.success) return undefined;
  const problems = (result.error?.issues ?? []).slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message.slice(0, 200),
  }));
  return problem(c, "validation", undefined, { problems });
}

function isMutation(method: string): boolean {
  return method !== "GET" && method !== "HEAD" && method !== "OPTIONS";
}

export function createApp(deps: AdminDeps): AdminApp {
  const app: AdminApp = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
  const audit = auditWriter(deps.db);
  const limiter = new RateLimiter(deps.now);
  const limits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  const metrics = adminMetrics(deps);

  app.use(
    "*",
    requestId({
      generator: () => crypto.randomUUID(),
      limitLength: 64,
    }),
  );
  app.use("*", async (c, next) => {
    if (!REQUEST_ID.test(c.var.requestId)) c.set("requestId", crypto.randomUUID());
    c.set("deps", deps);
    c.set("audit", audit);
    c.set("limiter", limiter);
    c.set("limits", limits);
    c.set("metrics", metrics);
    c.set("principal", undefined);
    c.set("routeId", undefined);
    await next();
    const status = c.res.status;
    metrics.requests.inc({ route: c.var.routeId ?? "none", status: String(status) });
    if (isMutation(c.req.method) || status === 401 || status === 403) {
      try {
        await audit({
          at: deps.now(),
          actor: c.var.principal?.subject ?? "anonymous",
          action: `${c.req.method} ${c.var.routeId ?? "(no route)"}`,
          target: c.req.path.slice(0, 200),
          result: String(status),
          requestId: c.var.requestId,
        });
      } catch (error) {
        deps.logError?.({ requestId: c.var.requestId, error: safeError(error) }, "audit record not written");
      }
    }
  });
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "same-origin" }));
  app.use("*", async (c, next) => {
    await next();
    c.header("cache-control", c.res.headers.get("cache-control") ?? "no-store");
  });
  app.use(
    "*",
    bodyLimit({ maxSize: BODY_LIMIT_BYTES, onError: (c) => problem(c as Context<AdminEnv>, "payload-too-large") }),
  );

  registerRoutes(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc31(OPENAPI_PATH, {
    openapi: "3.1.0",
    info: { title: "Haven admin API", version: "1" },
  });

  app.notFound((c) => problem(c, "not-found"));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return problem(
        c,
        STATUS_PROBLEMS[error.status] ?? "bad-request",
        error.status === 400 ? "malformed request body" : undefined,
      );
    }
    deps.logError?.({ requestId: c.var.requestId, error: safeError(error) }, "admin API request failed");
    return problem(c, "internal");
  });
  return app;
}

export { ROUTE_TABLE };
