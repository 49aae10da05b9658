import { describe, expect, it } from "vitest";
import { liveHeapByType, residentByKind } from "../../../bench/memory-summary.ts";

describe("where a process's memory is", () => {
  it("sorts resident memory into malloc's heap, V8's 256 KiB pages, mapped files and the rest", () => {
    const smaps = [
      "55d0c0000000-55d0c8000000 rw-p 00000000 00:00 0                          [heap]",
      "Size:             131072 kB",
      "Rss:              120000 kB",
      "3f1a00000000-3f1a00040000 rw-p 00000000 00:00 0 ",
      "Rss:                 256 kB",
      "3f1a00040000-3f1a000c0000 rw-p 00000000 00:00 0 ",
      "Rss:                 512 kB",
      "7f0000000000-7f0004000000 rw-p 00000000 00:00 0 ",
      "Rss:               1000 kB",
      "7f1000000000-7f1000100000 r-xp 00000000 08:01 1234                       /usr/bin/node",
      "Rss:                800 kB",
    ].join("\n");
    expect(Object.fromEntries(residentByKind(smaps))).toEqual({
      "malloc heap": 120000 * 1024,
      "v8 heap pages": (256 + 512) * 1024,
      "other anonymous": 1000 * 1024,
      files: 800 * 1024,
    });
  });

  it("adds up a heap snapshot's self sizes by node type", () => {
    const snapshot = {
      snapshot: {
        meta: { node_fields: ["type", "name", "id", "self_size"], node_types: [["object", "string"]] as [string[]] },
      },
      nodes: [0, 0, 1, 100, 1, 0, 2, 40, 1, 0, 3, 2],
    };
    expect(Object.fromEntries(liveHeapByType(snapshot))).toEqual({ object: 100, string: 42 });
  });
});
