import { parseArgs } from "node:util";
import { UsageError } from "../command.ts";

export const demoUsage = [
  "usage: haven demo [--fresh]",
  "",
  "Runs the embedded demo on this machine: a hub and two partner Synapse servers federating over loopback TLS,",
  "sample organisations with queue rooms and responders, a monitors' room, the sample directory, and Haven.",
  "Writes <dataDir>/demo.json once ready; Ctrl-C stops everything. A later run reuses the data.",
  "",
  "  --fresh   start over: remove the demo's earlier servers, accounts and Haven state",
  "  --help    show this",
].join("\n");

export type DemoArgs = { readonly action: "help" } | { readonly action: "run"; readonly fresh: boolean };

export function parseDemoArgs(args: readonly string[]): DemoArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { fresh: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`demo: ${error instanceof Error ? error.message : String(error)}\n${demoUsage}`);
  }
  if (parsed.values.help === true) return { action: "help" };
  return { action: "run", fresh: parsed.values.fresh === true };
}
