import type { CommandContext } from "../command.ts";

/** Prints `value` as one JSON document with --json, else the human-readable `text`. */
export function printResult(context: CommandContext, json: boolean, value: unknown, text: string): void {
  context.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text.endsWith("\n") ? text : `${text}\n`);
}

/** Rows as aligned columns under a header; "(none)" when there are no rows. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  if (rows.length === 0) return "(none)\n";
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line), ""].join("\n");
}
