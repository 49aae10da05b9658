// `node bench/profile-summary.ts <file.cpuprofile>`: where a CPU profile of Haven (HAVEN_BENCH_PROFILE_DIR, see
// bench/README.md) spent its time: self time per function and per file, biggest first.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time in ms per key (a function or a file), from the sampled profile. */
export function selfTimeBy(profile: Profile, key: (node: ProfileNode) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (node === undefined) return;
    const k = key(node);
    totals.set(k, (totals.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

/** Time in ms of the samples that have a function named `name` anywhere on their stack. */
export function inclusiveTime(profile: Profile, name: string): number {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  let total = 0;
  profile.samples.forEach((id, i) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)?.callFrame.functionName === name) {
        total += (profile.timeDeltas[i] ?? 0) / 1000;
        return;
      }
    }
  });
  return total;
}

const shortUrl = (url: string): string => url.replace(/^file:\/\/.*?\/(node_modules|core|bots|bridge|bin)\//, "$1/");

if (import.meta.main) {
  const profile = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Profile;
  const total = profile.timeDeltas.reduce((sum, d) => sum + d, 0) / 1000;
  const top = (title: string, totals: Map<string, number>): void => {
    process.stdout.write(`\n${title} (of ${Math.round(total)} ms sampled)\n`);
    for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
      process.stdout.write(
        `${String(Math.round(ms)).padStart(8)} ms  ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${name}\n`,
      );
    }
  };
  top(
    "self time by function",
    selfTimeBy(
      profile,
      (n) => `${n.callFrame.functionName || "(anonymous)"} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`,
    ),
  );
  for (const name of (process.argv[3] ?? "").split(",").filter(Boolean)) {
    process.stdout.write(`inclusive ${name}: ${Math.round(inclusiveTime(profile, name))} ms\n`);
  }
  top(
    "self time by file",
    selfTimeBy(profile, (n) => shortUrl(n.callFrame.url) || n.callFrame.functionName),
  );
}
