// Latency figures as the bench reports them: nearest-rank percentiles over every sample, and throughput.

export interface LatencySummary {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/** Nearest-rank percentile of samples already sorted ascending; 0 for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarise(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  return {
    samples: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
    meanMs: round(sorted.length === 0 ? 0 : sorted.reduce((sum, x) => sum + x, 0) / sorted.length),
  };
}

/** `value / baseline`, two decimals; null when the baseline is 0 (nothing to compare against). */
export function ratio(value: number, baseline: number): number | null {
  return baseline === 0 ? null : Math.round((value / baseline) * 100) / 100;
}
