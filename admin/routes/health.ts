// Liveness, readiness (database, homeservers, bots) and Prometheus metrics.
import { z } from "@hono/zod-openapi";
import { sql } from "kysely";
import { PUBLIC } from "../access.ts";
import { defineRoute } from "../define-route.ts";
import type { AdminApp } from "../env.ts";

const readiness = z
  .object({ ready: z.boolean(), checks: z.array(z.object({ name: z.string(), ok: z.boolean() })) })
  .openapi("Readiness");

export const healthz = defineRoute("health.live", PUBLIC, {
  method: "get",
  path: "/healthz",
  summary: "The process is up",
  responses: { 200: { description: "Up", content: { "application/json": { schema: z.object({ ok: z.boolean() }) } } } },
});

export const readyz = defineRoute("health.ready", PUBLIC, {
  method: "get",
  path: "/readyz",
  summary: "The database answers and every configured check passes",
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: readiness } } },
    503: { description: "Not ready", content: { "application/json": { schema: readiness } } },
  },
});

export const metrics = defineRoute(
  "metrics",
  { roles: ["superadmin", "coordinator", "monitor"] },
  {
    method: "get",
    path: "/v1/metrics",
    summary: "Prometheus metrics (no content, no identities)",
    responses: { 200: { description: "Prometheus text format", content: { "text/plain": { schema: z.string() } } } },
  },
);

export const healthRoutes = [healthz, readyz, metrics];

async function passes(check: () => Promise<boolean>): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}

export function registerHealthRoutes(app: AdminApp): void {
  app.openapi(healthz.route, (c) => c.json({ ok: true }, 200));

  app.openapi(readyz.route, async (c) => {
    const { db, readiness: checks = [] } = c.var.deps;
    const results = [
      { name: "database", ok: await passes(async () => (await sql`select 1`.execute(db), true)) },
      ...(await Promise.all(
        checks.map(async (entry) => ({ name: entry.name, ok: await passes(() => entry.check()) })),
      )),
    ];
    const ready = results.every((result) => result.ok);
    return ready ? c.json({ ready, checks: results }, 200) : c.json({ ready, checks: results }, 503);
  });

  app.openapi(metrics.route, async (c) => {
    const { registry } = c.var.metrics;
    return c.text(await registry.metrics(), 200, { "content-type": registry.contentType });
  });
}
