// Scenario 7: a process's CPU and memory, read from /proc/<pid>/stat and /proc/<pid>/status while a scenario
// runs. The parsers are pure (unit-tested); the sampler reads the files on a timer.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface ProcStat {
  /** User and system CPU time so far, in clock ticks. */
  readonly utimeTicks: number;
  readonly stimeTicks: number;
}

/**
 * Reads utime and stime (fields 14 and 15) from a /proc/<pid>/stat line. The command name (field 2) is in
 * parentheses and may itself hold spaces or parentheses, so fields are counted after its last ")".
 */
export function parseProcStat(line: string): ProcStat {
  const close = line.lastIndexOf(")");
  if (close < 0) throw new Error("not a /proc/<pid>/stat line");
  // After ")": field 3 (state) is index 0, so field n is index n - 3.
  const fields = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const utimeTicks = Number(fields[14 - 3]);
  const stimeTicks = Number(fields[15 - 3]);
  if (!Number.isFinite(utimeTicks) || !Number.isFinite(stimeTicks)) throw new Error("no CPU times in the stat line");
  return { utimeTicks, stimeTicks };
}

export interface ProcMemory {
  /** Resident set size now, and its peak (VmHWM), in bytes; 0 when the kernel does not say. */
  readonly rssBytes: number;
  readonly peakRssBytes: number;
}

/** Reads VmRSS and VmHWM (in kB) from /proc/<pid>/status. */
export function parseProcStatus(text: string): ProcMemory {
  const kB = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rssBytes: kB("VmRSS"), peakRssBytes: kB("VmHWM") };
}

export interface UsageSample extends ProcMemory {
  /** Milliseconds since the sampler started. */
  readonly atMs: number;
  /** CPU time (user + system) since the sampler started, in milliseconds. */
  readonly cpuMs: number;
}

export interface UsageSummary {
  readonly samples: number;
  readonly wallMs: number;
  /** CPU time over wall time, in % of one core (200 % = both cores of this machine busy). */
  readonly meanCpuPercent: number;
  /** Highest CPU % over any one sampling interval. */
  readonly peakCpuPercent: number;
  readonly meanRssBytes: number;
  readonly peakRssBytes: number;
}

/** Mean and peak CPU % and RSS over samples taken in order; zeros for fewer than two samples. */
export function summariseUsage(samples: readonly UsageSample[]): UsageSummary {
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined || samples.length < 2 || last.atMs <= first.atMs) {
    return {
      samples: samples.length,
      wallMs: 0,
      meanCpuPercent: 0,
      peakCpuPercent: 0,
      meanRssBytes: 0,
      peakRssBytes: 0,
    };
  }
  const percent = (cpuMs: number, wallMs: number): number => Math.round((cpuMs / wallMs) * 1000) / 10;
  let peakCpuPercent = 0;
  for (let i = 1; i < samples.length; i++) {
    const wall = samples[i]!.atMs - samples[i - 1]!.atMs;
    if (wall > 0) peakCpuPercent = Math.max(peakCpuPercent, percent(samples[i]!.cpuMs - samples[i - 1]!.cpuMs, wall));
  }
  const wallMs = last.atMs - first.atMs;
  return {
    samples: samples.length,
    wallMs: Math.round(wallMs),
    meanCpuPercent: percent(last.cpuMs - first.cpuMs, wallMs),
    peakCpuPercent,
    meanRssBytes: Math.round(samples.reduce((sum, s) => sum + s.rssBytes, 0) / samples.length),
    peakRssBytes: Math.max(...samples.map((s) => Math.max(s.rssBytes, s.peakRssBytes))),
  };
}

const clockTicksPerSecond = (): number => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
};

export interface UsageSampler {
  stop(): UsageSample[];
}

/** Samples the process every `everyMs` until stopped; a process that has gone ends the sampling quietly. */
export function sampleProcess(pid: number, everyMs = 500): UsageSampler {
  const ticks = clockTicksPerSecond();
  const samples: UsageSample[] = [];
  const started = performance.now();
  let baseTicks: number | undefined;
  const take = (): void => {
    try {
      const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
      const memory = parseProcStatus(readFileSync(`/proc/${pid}/status`, "utf8"));
      const total = stat.utimeTicks + stat.stimeTicks;
      baseTicks ??= total;
      samples.push({ atMs: performance.now() - started, cpuMs: ((total - baseTicks) * 1000) / ticks, ...memory });
    } catch {
      clearInterval(timer);
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
