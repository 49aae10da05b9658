// `node bench/memory-summary.ts <dir>`: reads what HAVEN_BENCH_MEMORY_DIR kept (see memory-snapshot.ts) and prints
// where Haven's resident memory is — V8's heap pages, malloc's heap, the rest — and the live JS heap by kind.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export type MappingKind = "v8 heap pages" | "malloc heap" | "files" | "other anonymous";

/** Resident bytes per kind of mapping in a /proc/<pid>/smaps text. V8 allocates its heap in 256 KiB pages. */
export function residentByKind(smaps: string): Map<MappingKind, number> {
  const totals = new Map<MappingKind, number>();
  let kind: MappingKind | undefined;
  for (const line of smaps.split("\n")) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const size = parseInt(header[2]!, 16) - parseInt(header[1]!, 16);
      const name = header[3]!.trim();
      kind =
        name === "[heap]"
          ? "malloc heap"
          : name.startsWith("/")
            ? "files"
            : name === "" && (size === 256 * 1024 || size === 512 * 1024)
              ? "v8 heap pages"
              : "other anonymous";
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && kind !== undefined) totals.set(kind, (totals.get(kind) ?? 0) + Number(rss[1]) * 1024);
  }
  return totals;
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
}

/** Live JS heap bytes by node type (string, array, object, code, …) in a V8 heap snapshot. */
export function liveHeapByType(snapshot: HeapSnapshot): Map<string, number> {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const typeAt = fields.indexOf("type");
  const sizeAt = fields.indexOf("self_size");
  const totals = new Map<string, number>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    totals.set(type, (totals.get(type) ?? 0) + snapshot.nodes[i + sizeAt]!);
  }
  return totals;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const print = (title: string, totals: Map<string, number>): void => {
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  console.log(`${title}: ${mb(sum)}`);
  for (const [key, bytes] of [...totals].sort((a, b) => b[1] - a[1]))
    console.log(`  ${mb(bytes).padStart(10)}  ${key}`);
};

if (import.meta.main) {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error("usage: node bench/memory-summary.ts <HAVEN_BENCH_MEMORY_DIR>");
  print("resident", residentByKind(await readFile(join(dir, "smaps.txt"), "utf8")));
  const afterGc = await readFile(join(dir, "smaps-after-gc.txt"), "utf8").catch(() => undefined);
  if (afterGc !== undefined) print("resident after the snapshot's full GC", residentByKind(afterGc));
  const file = (await readdir(dir)).find((name) => name.endsWith(".heapsnapshot"));
  if (file !== undefined) {
    print("live JS heap", liveHeapByType(JSON.parse(await readFile(join(dir, file), "utf8")) as HeapSnapshot));
  }
}
