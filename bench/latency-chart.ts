// The chart beside each results file: one row per series (its label above it), every sample as a dot on a logarithmic millisecond
// axis, with ticks at p50, p95 and p99. Written by hand so the bench needs no chart library.
import { summarise } from "./stats.ts";

export interface ChartSeries {
  readonly label: string;
  readonly samplesMs: readonly number[];
}

const WIDTH = 900;
const LEFT = 40;
const RIGHT = 50;
const ROW = 54;
const TOP = 40;
const AXIS = 40;

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function latencyChartSvg(title: string, series: readonly ChartSeries[]): string {
  const all = series.flatMap((s) => s.samplesMs).filter((x) => x > 0);
  const low = Math.floor(Math.log10(Math.min(...all, 1)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...all, 10))));
  const x = (ms: number): number =>
    LEFT + ((Math.log10(Math.max(ms, 10 ** low)) - low) / (high - low)) * (WIDTH - LEFT - RIGHT);
  const height = TOP + series.length * ROW + AXIS;
  const f = (n: number): string => n.toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  ];
  for (let decade = low; decade <= high; decade += 1) {
    const at = f(x(10 ** decade));
    parts.push(
      `<line x1="${at}" y1="${TOP}" x2="${at}" y2="${height - AXIS}" stroke="#ddd"/>`,
      `<text x="${at}" y="${height - AXIS + 16}" text-anchor="middle">${10 ** decade >= 1 ? 10 ** decade : (10 ** decade).toFixed(-decade)} ms</text>`,
    );
  }
  series.forEach((s, i) => {
    const mid = TOP + i * ROW + ROW / 2;
    const stats = summarise(s.samplesMs);
    parts.push(`<text x="${LEFT}" y="${f(mid - 14)}">${escapeXml(s.label)} (n=${stats.samples})</text>`);
    for (const ms of s.samplesMs) {
      parts.push(`<circle cx="${f(x(ms))}" cy="${f(mid)}" r="3" fill="#1f77b4" fill-opacity="0.35"/>`);
    }
    for (const [name, ms, colour] of [
      ["p50", stats.p50Ms, "#d62728"],
      ["p95", stats.p95Ms, "#ff7f0e"],
      ["p99", stats.p99Ms, "#9467bd"],
    ] as const) {
      if (stats.samples === 0) continue;
      parts.push(
        `<line x1="${f(x(ms))}" y1="${f(mid - 9)}" x2="${f(x(ms))}" y2="${f(mid + 9)}" stroke="${colour}" stroke-width="2"><title>${name} ${ms} ms</title></line>`,
      );
    }
  });
  parts.push(
    `<text x="${LEFT}" y="${height - 6}" fill="#555">dots: samples · red: p50 · orange: p95 · purple: p99 · log scale</text>`,
    `</svg>`,
  );
  return `${parts.join("\n")}\n`;
}
