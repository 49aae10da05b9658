// `npm run bench [-- --quick]`: every scenario in one run, each against a baseline measured in the same run,
// printed as a table and written to bench/results/<date>.json with an SVG chart of the latency distributions.
// Figures are recorded, never asserted: a slow machine does not fail this, only a crash or a lost message does.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { arch, cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { synapsePython } from "../test/harness/synapse.ts";
import { benchAdminApi } from "./admin-api.ts";
import { latencyChartSvg, type ChartSeries } from "./latency-chart.ts";
import { benchMatrix } from "./matrix-scenarios.ts";
import { ratio, summarise, type LatencySummary } from "./stats.ts";
import { summariseUsage } from "./process-usage.ts";
import { deliveryProblem } from "./delivery-count.ts";
import { runFaultRuns } from "./fault-runs.ts";

const quick = process.argv.includes("--quick");
/** `--name=N` on the command line overrides a size (for development with small N). */
const sizeArgument = (name: string, otherwise: number): number => {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return given === undefined ? otherwise : Number(given.slice(name.length + 3));
};
const sizes = {
  messages: sizeArgument("messages", quick ? 10 : 100),
  warmup: 2,
  intakes: sizeArgument("intakes", quick ? 2 : 10),
  // Scenario 4: each conversation is `rounds` of her message and the responder's answer (full: 20 messages).
  concurrent: {
    survivors: sizeArgument("survivors", quick ? 10 : 200),
    rounds: sizeArgument("rounds", quick ? 5 : 10),
  },
  // Scenario 6: 500 rooms × 20 = 10,000 expired messages for Haven's worker, as many for Synapse's purge.
  sweep: {
    rooms: sizeArgument("sweep-rooms", quick ? 5 : 500),
    eventsPerRoom: sizeArgument("sweep-events", quick ? 10 : 20),
  },
  adminRequests: sizeArgument("admin-requests", quick ? 1_000 : 3_000),
};
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

const version = (path: string): string => (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
const synapseVersion = (): string =>
  execFileSync(synapsePython(), ["-c", "import synapse; print(synapse.__version__)"], { encoding: "utf8" }).trim();

const startedAt = new Date();
const loadAverageAtStart = loadavg();
const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
const dir = join(import.meta.dirname, "results");
const machine = (): Record<string, unknown> => ({
  platform: platform(),
  release: release(),
  arch: arch(),
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? null,
  totalMemoryBytes: totalmem(),
  loadAverageAtStart,
  loadAverageAtEnd: loadavg(),
});

if (process.argv.includes("--faults")) {
  const faults = await runFaultRuns(sizeArgument("fault-messages", 1_000), log);
  await mkdir(dir, { recursive: true });
  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: "faults",
    machine: machine(),
    faults,
  };
  await writeFile(join(dir, `${stamp}-faults.json`), `${JSON.stringify(results, null, 2)}\n`);
  for (const run of faults.runs) {
    process.stdout.write(`${run.passed ? "passed" : "FAILED"}  ${run.durationMs ?? "?"} ms  ${run.name}\n`);
  }
  log(`wrote bench/results/${stamp}-faults.json`);
  const allPassed = faults.runs.length > 0 && faults.runs.every((run) => run.passed);
  // The fault runs are the whole of this mode; the scenarios below are `npm run bench` without `--faults`.
  process.exit(allPassed ? 0 : 1);
}

const matrix = await benchMatrix(sizes, log);
log("scenario 5: admin API");
const admin = await benchAdminApi(sizes.adminRequests);

interface Row extends LatencySummary {
  readonly scenario: string;
  readonly series: string;
  readonly throughputPerSecond: number | null;
  readonly baseline: string | null;
  readonly p50Ratio: number | null;
  readonly p95Ratio: number | null;
  /** Throughput over the baseline's, where the row is a load figure (scenarios 4 and 6). */
  readonly throughputRatio?: number | null;
}

const rows: Row[] = [];
const samples: ChartSeries[] = [];
function add(scenario: string, series: string, ms: readonly number[], extra: Partial<Row> = {}): LatencySummary {
  const summary = summarise(ms);
  // Sequential sends: one message in flight at a time, so throughput is the reciprocal of the mean latency.
  const throughput = summary.meanMs > 0 ? Math.round((1000 / summary.meanMs) * 100) / 100 : null;
  rows.push({
    scenario,
    series,
    ...summary,
    throughputPerSecond: throughput,
    baseline: null,
    p50Ratio: null,
    p95Ratio: null,
    ...extra,
  });
  samples.push({ label: `${scenario}: ${series}`, samplesMs: ms });
  return summary;
}
const against = (name: string, base: LatencySummary, ms: readonly number[]): Partial<Row> => {
  const s = summarise(ms);
  return { baseline: name, p50Ratio: ratio(s.p50Ms, base.p50Ms), p95Ratio: ratio(s.p95Ms, base.p95Ms) };
};

const b1 = add("1 baseline", "hub → partner A", matrix.baseline.hubToPartner);
const b2 = add("1 baseline", "partner A → hub", matrix.baseline.partnerToHub);
add("1 baseline", "first messages (warm-up)", matrix.baseline.warmup);
add(
  "2 relay",
  "survivor → responder",
  matrix.relay.survivorToResponder,
  against("1 baseline: hub → partner A", b1, matrix.relay.survivorToResponder),
);
add(
  "2 relay",
  "responder → survivor",
  matrix.relay.responderToSurvivor,
  against("1 baseline: partner A → hub", b2, matrix.relay.responderToSurvivor),
);
add("2 relay", "first messages (warm-up)", matrix.relay.warmup);
add("3 intake → offer", "last answer → offer decrypted", matrix.intakeToOffer);
const bare = admin[0]!;
for (const result of admin) {
  const isBare = result === bare;
  add("5 admin API", result.name, result.latenciesMs, {
    throughputPerSecond: Math.round(result.requestsPerSecond),
    ...(isBare ? {} : against("5 admin API: bare Hono route", bare, result.latenciesMs)),
  });
}
const concurrent = matrix.concurrent;
const rawRate = concurrent.raw.messagesPerSecond;
add("4 concurrent", `raw Synapse: ${concurrent.survivors} rooms at once, plain clients`, concurrent.raw.latenciesMs, {
  throughputPerSecond: rawRate,
});
add("4 concurrent", `relay: ${concurrent.survivors} survivors at once through Haven`, concurrent.relay.latenciesMs, {
  ...against(`4 concurrent: raw Synapse`, summarise(concurrent.raw.latenciesMs), concurrent.relay.latenciesMs),
  throughputPerSecond: concurrent.relay.messagesPerSecond,
  throughputRatio: ratio(concurrent.relay.messagesPerSecond, rawRate),
});
add("4 concurrent", "intake, all at once: first answer → case code", concurrent.intakeMs, {
  throughputPerSecond: null,
});
add("4 concurrent", "case code → case active (offer, claim, rooms)", concurrent.codeToActiveMs, {
  throughputPerSecond: null,
});
const sweep = matrix.sweep;
const perSecond = (count: number, ms: number): number => Math.round((count / (ms / 1000)) * 10) / 10;
if (sweep !== undefined) {
  const synapseSweepRate = perSecond(sweep.events, sweep.synapse.wallMs);
  add("6 retention", `Synapse purge_history job per room, ${sweep.rooms} rooms one by one`, sweep.synapse.purgeJobMs, {
    throughputPerSecond: synapseSweepRate,
  });
  add("6 retention", `Haven worker's purge job per room (its polling included)`, sweep.haven.purgeJobMs, {
    throughputPerSecond: perSecond(sweep.events, sweep.haven.wallMs),
    throughputRatio: ratio(perSecond(sweep.events, sweep.haven.wallMs), synapseSweepRate),
  });
}
const resources = {
  note: "during scenario 4 (intakes, claims and the relayed conversations); CPU in % of one core",
  haven: summariseUsage(concurrent.usage.haven),
  hubSynapse: summariseUsage(concurrent.usage.hub),
  benchClients: summariseUsage(concurrent.usage.bench),
};

const table = [
  ["scenario", "series", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "per s", "p50 ×", "p95 ×", "per s ×"],
  ...rows.map((r) => [
    r.scenario,
    r.series,
    String(r.samples),
    String(r.p50Ms),
    String(r.p95Ms),
    String(r.p99Ms),
    String(r.maxMs),
    String(r.throughputPerSecond ?? ""),
    String(r.p50Ratio ?? ""),
    String(r.p95Ratio ?? ""),
    String(r.throughputRatio ?? ""),
  ]),
];
const widths = table[0]!.map((_, c) => Math.max(...table.map((line) => line[c]!.length)));
process.stdout.write(
  `${table.map((line) => line.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n")}\n`,
);
process.stdout.write(`Haven start → ready: ${Math.round(matrix.havenStartToReadyMs)} ms\n`);
const mb = (bytes: number): number => Math.round(bytes / 1_048_576);
for (const [name, usage] of Object.entries(resources)) {
  if (typeof usage === "string") continue;
  process.stdout.write(
    `${name} during scenario 4: CPU mean ${usage.meanCpuPercent} % / peak ${usage.peakCpuPercent} %, RSS mean ${mb(usage.meanRssBytes)} MB / peak ${mb(usage.peakRssBytes)} MB\n`,
  );
}
process.stdout.write(
  `scenario 4 delivery: raw ${JSON.stringify(concurrent.raw.delivery)}; relay ${JSON.stringify(concurrent.relay.delivery)}\n` +
    (sweep === undefined
      ? ""
      : `scenario 6: Haven ${sweep.haven.wallMs} ms (${JSON.stringify(sweep.haven.report)}), Synapse ${sweep.synapse.wallMs} ms, seeding ${sweep.seedMs} ms\n`),
);

await mkdir(dir, { recursive: true });
const results = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  mode: quick ? "quick" : "full",
  sizes,
  machine: machine(),
  versions: {
    node: process.version,
    haven: version(join(import.meta.dirname, "../package.json")),
    matrixJsSdk: version(join(import.meta.dirname, "../node_modules/matrix-js-sdk/package.json")),
    synapse: synapseVersion(),
  },
  havenStartToReadyMs: Math.round(matrix.havenStartToReadyMs),
  rows,
  concurrent: {
    survivors: concurrent.survivors,
    messagesPerConversation: concurrent.rounds * 2,
    raw: { ...concurrent.raw, latenciesMs: undefined },
    relay: { ...concurrent.relay, latenciesMs: undefined },
  },
  retentionSweep: sweep && {
    rooms: sweep.rooms,
    events: sweep.events,
    seedMs: sweep.seedMs,
    havenWallMs: sweep.haven.wallMs,
    havenReport: sweep.haven.report,
    synapseWallMs: sweep.synapse.wallMs,
    havenOverSynapse: ratio(sweep.haven.wallMs, sweep.synapse.wallMs),
  },
  resources,
  samplesMs: Object.fromEntries(
    samples
      .filter((s) => !s.label.startsWith("5 "))
      .map((s) => [s.label, s.samplesMs.map((ms) => Math.round(ms * 10) / 10)]),
  ),
};
await writeFile(join(dir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(
  join(dir, `${stamp}.svg`),
  latencyChartSvg(`Haven bench ${results.mode} run, ${results.startedAt}`, samples),
);
log(`wrote bench/results/${stamp}.json and .svg`);

const problems = [
  deliveryProblem("scenario 4 raw", concurrent.raw.delivery),
  deliveryProblem("scenario 4 relay", concurrent.relay.delivery),
].filter((problem) => problem !== undefined);
if (problems.length > 0) {
  process.stderr.write(`[bench] FAILED: ${problems.join("; ")}\n`);
  process.exitCode = 1;
}

// Everything the bench started is stopped by now (Haven, the Synapse servers, every client, the admin server).
// What is left are matrix-js-sdk's own request timers: its `timeoutSignal` (http-api/utils.js) arms a referenced
// setTimeout per request (80 s past the long-poll for /sync, 60 s for crypto requests) and never clears it, so
// Node would idle up to ~110 s after the last request (matrix-org/matrix-js-sdk#2472). Found by listing the live
// timers at this point; they are the SDK's alone, so exit rather than wait them out.
process.exit();
