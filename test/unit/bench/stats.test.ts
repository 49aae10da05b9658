import { describe, expect, it } from "vitest";
import { percentile, ratio, summarise } from "../../../bench/stats.ts";
import { latencyChartSvg } from "../../../bench/latency-chart.ts";

describe("bench figures", () => {
  it("takes nearest-rank percentiles over every sample", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarise(hundred)).toEqual({ samples: 100, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100, meanMs: 50.5 });
    expect(percentile([7], 99)).toBe(7);
    expect(summarise([]).p95Ms).toBe(0);
  });

  it("gives no ratio against a zero baseline", () => {
    expect(ratio(250, 100)).toBe(2.5);
    expect(ratio(1, 0)).toBeNull();
  });

  it("draws one dot per sample and the percentile ticks, escaping labels", () => {
    const svg = latencyChartSvg("t", [{ label: "a <b>", samplesMs: [1, 10, 100] }]);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg.match(/<title>p\d\d /g)).toHaveLength(3);
    expect(svg).toContain("a &lt;b&gt;");
  });
});
