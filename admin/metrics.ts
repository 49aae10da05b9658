// Prometheus metrics without content: counts and durations read from the database at scrape time, plus the API's
// own request counter. Nothing here names a survivor.
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { countAlertsByKind, countCasesByState, timesToFirstClaim } from "../core/db/repositories/case-pages.ts";
import { CASE_STATES } from "../core/db/schema.ts";
import type { AdminDeps } from "./deps.ts";

export interface AdminMetrics {
  readonly registry: Registry;
  readonly requests: Counter<"route" | "status">;
}

export function adminMetrics(deps: Pick<AdminDeps, "db">): AdminMetrics {
  const registry = new Registry();
  new Gauge({
    name: "haven_cases",
    help: "Cases by state.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const counts = await countCasesByState(deps.db);
      for (const state of CASE_STATES) this.set({ state }, counts.get(state) ?? 0);
    },
  });
  new Gauge({
    name: "haven_alerts",
    help: "Alerts raised for the review team, by kind (offer-escalated counts escalations).",
    labelNames: ["kind"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [kind, count] of await countAlertsByKind(deps.db)) this.set({ kind }, count);
    },
  });
  new Histogram({
    name: "haven_time_to_claim_seconds",
    help: "Seconds from a case's creation to its first claim.",
    buckets: [30, 60, 120, 300, 600, 1_800, 3_600, 14_400],
    registers: [registry],
    async collect() {
      this.reset();
      for (const ms of await timesToFirstClaim(deps.db)) this.observe(ms / 1000);
    },
  });
  const requests = new Counter({
    name: "haven_admin_requests_total",
    help: "Admin API requests by route and status.",
    labelNames: ["route", "status"] as const,
    registers: [registry],
  });
  return { registry, requests };
}
