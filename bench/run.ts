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

const quick = process.argv.includes("--quick");
const sizes = quick ? { messages: 20, warmup: 2, intakes: 3 } : { messages: 100, warmup: 2, intakes: 10 };
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

const version = (path: string): string => (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
const synapseVersion = (): string =>
  execFileSync(synapsePython(), ["-c", "import synapse; print(synapse.__version__)"], { encoding: "utf8" }).trim();

const startedAt = new Date();
const matrix = await benchMatrix(sizes, log);
log("scenario 5: admin API");
const admin = await benchAdminApi();

interface Row extends LatencySummary {
  readonly scenario: string;
  readonly series: string;
  readonly throughputPerSecond: number | null;
  readonly baseline: string | null;
  readonly p50Ratio: number | null;
  readonly p95Ratio: number | null;
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

const table = [
  ["scenario", "series", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "per s", "p50 ×", "p95 ×"],
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
  ]),
];
const widths = table[0]!.map((_, c) => Math.max(...table.map((line) => line[c]!.length)));
process.stdout.write(
  `${table.map((line) => line.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n")}\n`,
);
process.stdout.write(`Haven start → ready: ${Math.round(matrix.havenStartToReadyMs)} ms\n`);

const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
const dir = join(import.meta.dirname, "results");
await mkdir(dir, { recursive: true });
const results = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  mode: quick ? "quick" : "full",
  sizes,
  machine: {
    platform: platform(),
    release: release(),
    arch: arch(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    totalMemoryBytes: totalmem(),
    loadAverageAtEnd: loadavg(),
  },
  versions: {
    node: process.version,
    haven: version(join(import.meta.dirname, "../package.json")),
    matrixJsSdk: version(join(import.meta.dirname, "../node_modules/matrix-js-sdk/package.json")),
    synapse: synapseVersion(),
  },
  havenStartToReadyMs: Math.round(matrix.havenStartToReadyMs),
  rows,
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
