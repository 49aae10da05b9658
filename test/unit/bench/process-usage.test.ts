import { describe, expect, it } from "vitest";
import { parseProcStat, parseProcStatus, summariseUsage } from "../../../bench/process-usage.ts";

describe("reading a process's CPU and memory from /proc", () => {
  it("reads utime and stime after the command name, even one with spaces and parentheses", () => {
    const line =
      "4242 (node (haven) x) S 1 4242 4242 0 -1 4194560 51234 0 12 0 1517 303 0 0 20 0 11 0 123456 1234567890 85000 18446744073709551615";
    expect(parseProcStat(line)).toEqual({ utimeTicks: 1517, stimeTicks: 303 });
    expect(() => parseProcStat("garbage")).toThrow();
  });

  it("reads the resident set size and its peak in bytes", () => {
    const status = "Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  350000 kB\nVmRSS:\t  340000 kB\nThreads:\t11\n";
    expect(parseProcStatus(status)).toEqual({ rssBytes: 340000 * 1024, peakRssBytes: 350000 * 1024 });
    expect(parseProcStatus("Name:\tkthreadd\n")).toEqual({ rssBytes: 0, peakRssBytes: 0 });
  });

  it("gives mean and peak CPU over the samples, in % of one core", () => {
    const mb = 1_048_576;
    const summary = summariseUsage([
      { atMs: 0, cpuMs: 0, rssBytes: 100 * mb, peakRssBytes: 100 * mb },
      { atMs: 1000, cpuMs: 500, rssBytes: 200 * mb, peakRssBytes: 200 * mb },
      { atMs: 2000, cpuMs: 2000, rssBytes: 150 * mb, peakRssBytes: 250 * mb },
    ]);
    expect(summary).toEqual({
      samples: 3,
      wallMs: 2000,
      meanCpuPercent: 100,
      peakCpuPercent: 150,
      meanRssBytes: 150 * mb,
      peakRssBytes: 250 * mb,
    });
    expect(summariseUsage([{ atMs: 0, cpuMs: 0, rssBytes: 1, peakRssBytes: 1 }]).meanCpuPercent).toBe(0);
  });
});
