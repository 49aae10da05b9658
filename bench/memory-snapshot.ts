// `HAVEN_BENCH_MEMORY_DIR=<dir>`: where Haven's memory is after scenario 4 — its /proc status and smaps (which
// mappings hold the resident memory: V8's heap pages, malloc's heap, WASM), a V8 heap snapshot (what the live
// JS objects are), and the same /proc files again after it (a snapshot collects all garbage first). Haven runs with `--heapsnapshot-signal=SIGUSR2`; the snapshot is complete once its size stops
// changing. Development only: the snapshot holds Haven's memory as it is, so never take one of a real deployment.
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const memorySnapshotNodeOptions = (dir: string): string =>
  `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`;

export async function snapshotMemory(pid: number, dir: string): Promise<string> {
  await writeFile(join(dir, "status.txt"), await readFile(`/proc/${pid}/status`));
  await writeFile(join(dir, "smaps.txt"), await readFile(`/proc/${pid}/smaps`));
  process.kill(pid, "SIGUSR2");
  let last = -1;
  for (;;) {
    await sleep(2_000);
    const file = (await readdir(dir)).find((name) => name.endsWith(".heapsnapshot"));
    const size = file === undefined ? -1 : (await stat(join(dir, file))).size;
    if (file !== undefined && size > 0 && size === last) {
      // Taking the snapshot collected all garbage first: what is resident now is what Haven holds.
      await writeFile(join(dir, "status-after-gc.txt"), await readFile(`/proc/${pid}/status`));
      await writeFile(join(dir, "smaps-after-gc.txt"), await readFile(`/proc/${pid}/smaps`));
      return join(dir, file);
    }
    last = size;
  }
}
