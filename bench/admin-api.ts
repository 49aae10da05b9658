// Benchmark: GET /v1/cases (an authorised coordinator, 10,000 cases in the database) next to a bare Hono route,
// both served over HTTP by @hono/node-server in the same run, so the ratio says what Haven's layers cost.
// Run with `npm run bench`; not a test, no thresholds.
import { Hono } from "hono";
import { createApp } from "../admin/app.ts";
import { newApiToken, tokenHash } from "../admin/api-token.ts";
import type { AdminApp } from "../admin/env.ts";
import { startAdminServer } from "../admin/server.ts";
import { openDatabase } from "../core/db/open.ts";
import { insertApiToken } from "../core/db/repositories/api-tokens.ts";
import { CASE_STATES, type NewCase } from "../core/db/schema.ts";
import { summarise, type LatencySummary } from "./stats.ts";

export interface BenchResult extends LatencySummary {
  readonly name: string;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latenciesMs: readonly number[];
}

const CASES = 10_000;
const WARMUP = 300;
const CONCURRENCY = 8;

async function measure(
  name: string,
  url: string,
  headers: Record<string, string>,
  requests: number,
): Promise<BenchResult> {
  const once = async (): Promise<number> => {
    const start = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${name}: HTTP ${response.status}`);
    return performance.now() - start;
  };
  const run = async (count: number): Promise<number[]> => {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) {
          next += 1;
          latencies.push(await once());
        }
      }),
    );
    return latencies;
  };
  await run(WARMUP);
  const start = performance.now();
  const latencies = await run(requests);
  const seconds = (performance.now() - start) / 1000;
  return {
    ...summarise(latencies),
    name,
    requests: latencies.length,
    requestsPerSecond: latencies.length / seconds,
    latenciesMs: latencies,
  };
}

async function serve<T>(app: AdminApp | Hono, use: (base: string) => Promise<T>): Promise<T> {
  const server = await startAdminServer(app as AdminApp, { host: "127.0.0.1", port: 0 });
  try {
    return await use(`http://127.0.0.1:${server.port}`);
  } finally {
    await server.stop();
  }
}

function syntheticCase(index: number, now: number): NewCase {
  const state = CASE_STATES[index % CASE_STATES.length]!;
  return {
    id: `B${String(index).padStart(5, "0")}-XX`,
    state,
    survivor_mxid: null,
    survivor_room_id: null,
    locale: index % 2 === 0 ? "km" : "en",
    category: "legal_aid",
    province: "phnom_penh",
    urgent: index % 7 === 0,
    under18: false,
    consent_summary: false,
    service_language: null,
    org_id: index % 3 === 0 ? null : `org-${index % 5}`,
    created_at: now - (CASES - index) * 60_000,
    updated_at: now,
    closed_at: null,
  };
}

export async function benchAdminApi(requests = 3_000): Promise<BenchResult[]> {
  const database = await openDatabase({ url: ":memory:", dataDir: "/nonexistent" });
  try {
    const now = Date.now();
    for (let start = 0; start < CASES; start += 500) {
      const batch = Array.from({ length: Math.min(500, CASES - start) }, (_, i) => syntheticCase(start + i, now));
      await database.db.insertInto("cases").values(batch).execute();
    }
    const { token, id } = newApiToken();
    await insertApiToken(database.db, {
      id,
      tokenHash: tokenHash(token),
      subject: "bench",
      role: "coordinator",
      orgId: null,
      createdBy: "bench",
      createdAt: now,
      expiresAt: now + 3_600_000,
    });
    const app = createApp({
      db: database.db,
      now: Date.now,
      coalitionServers: [],
      openidUserinfo: () => Promise.resolve({ ok: false, reason: "bench" }),
      rateLimits: { perTokenPerMinute: Number.MAX_SAFE_INTEGER },
    });
    const bare = new Hono().get("/bare", (c) => c.json({ ok: true }));
    const auth = { authorization: `Bearer ${token}` };
    const results: BenchResult[] = [];
    results.push(await serve(bare, (base) => measure("bare Hono route", `${base}/bare`, {}, requests)));
    results.push(
      await serve(app, (base) => measure("GET /v1/cases?limit=50", `${base}/v1/cases?limit=50`, auth, requests)),
    );
    results.push(
      await serve(app, (base) =>
        measure("GET /v1/cases?state=claimed&limit=50", `${base}/v1/cases?state=claimed&limit=50`, auth, requests),
      ),
    );
    return results;
  } finally {
    await database.close();
  }
}

export function formatResults(results: readonly BenchResult[]): string {
  const baseline = results[0];
  return results
    .map((result) => {
      const ratio = baseline ? ` (${(result.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}× bare)` : "";
      return `${result.name.padEnd(40)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s${ratio}  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms`;
    })
    .join("\n");
}

if (import.meta.main) {
  process.stdout.write(`${formatResults(await benchAdminApi())}\n`);
}
