// Prometheus metrics without content: counts and durations read from the database at scrape time, plus the API's
// own request counter. Nothing here names a survivor.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import {
  countAlertsByKind,
  countCasesByState,
  timesToFirstClaim,
  timesToFirstReply,
} from "../core/db/repositories/case-pages.ts";
import { retentionActionTotals } from "../core/db/repositories/retention.ts";
import { CASE_STATES } from "../core/db/schema.ts";
import type { AdminDeps } from "./deps.ts";

export interface AdminMetrics {
  readonly registry: Registry;
  readonly requests: Counter<"route" | "status">;
}

const WAIT_BUCKETS = [30, 60, 120, 300, 600, 1_800, 3_600, 14_400];

export function adminMetrics(deps: Pick<AdminDeps, "db" | "liveFigures">): AdminMetrics {
  const registry = new Registry();
  // The process's own: resident memory, heap and external (WASM) memory, event-loop lag, CPU, open handles.
  collectDefaultMetrics({ register: registry });
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
    buckets: WAIT_BUCKETS,
    registers: [registry],
    async collect() {
      this.reset();
      for (const ms of await timesToFirstClaim(deps.db)) this.observe(ms / 1000);
    },
  });
  new Histogram({
    name: "haven_time_to_first_reply_seconds",
    help: "Seconds from a case's creation to the first responder message relayed to her (relay mode; cases whose relay records retention has removed are not counted).",
    buckets: WAIT_BUCKETS,
    registers: [registry],
    async collect() {
      this.reset();
      for (const ms of await timesToFirstReply(deps.db)) this.observe(ms / 1000);
    },
  });
  new Gauge({
    name: "haven_retention_actions",
    help: "What retention has done, from its audit record: the sum of each count (messagesRedacted, purges, roomsDeleted, casesAnonymised, failures, ...) by action (sweep, erase-case).",
    labelNames: ["action", "count"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [action, counts] of await retentionActionTotals(deps.db)) {
        for (const [count, value] of counts) this.set({ action, count }, value);
      }
    },
  });
  const live = deps.liveFigures;
  new Histogram({
    name: "haven_relay_latency_seconds",
    help: "Seconds from a message's sending to its copy on the other side, over the bridge's latest relays (a bounded window since the process started), by direction.",
    labelNames: ["direction"],
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
    collect() {
      this.reset();
      for (const relay of live?.relayLatencies?.() ?? []) {
        this.observe({ direction: relay.from === "survivor" ? "to-org" : "to-survivor" }, relay.seconds);
      }
    },
  });
  new Gauge({
    name: "haven_bot_sync_lag_seconds",
    help: "For each bot, seconds from the newest live event's sending to its arrival through sync.",
    labelNames: ["bot"],
    registers: [registry],
    collect() {
      this.reset();
      for (const bot of live?.botSync?.() ?? []) {
        if (bot.lagSeconds !== null) this.set({ bot: bot.bot }, bot.lagSeconds);
      }
    },
  });
  new Gauge({
    name: "haven_bot_last_sync_age_seconds",
    help: "For each bot, seconds since its last sync response (a long poll answers at least every 30 s).",
    labelNames: ["bot"],
    registers: [registry],
    collect() {
      this.reset();
      for (const bot of live?.botSync?.() ?? []) {
        if (bot.lastSyncAgeSeconds !== null) this.set({ bot: bot.bot }, bot.lastSyncAgeSeconds);
      }
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
