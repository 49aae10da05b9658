import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "../command.ts";

export const defaultClientPort = 8008;
export const defaultFederationPort = 8448;

export type DevArgs =
  | {
      readonly action: "run";
      readonly fresh: boolean;
      readonly clientPort?: number;
      readonly federationPort?: number;
    }
  | { readonly action: "add-user"; readonly localpart: string };

export const devUsage = [
  "usage: haven dev [--fresh] [--client-port <port>] [--federation-port <port>]",
  "       haven dev add-user <name>",
].join("\n");

/** What Synapse accepts as a localpart (lower case, digits, ._=-/+), refused before it is sent. */
const localpartPattern = /^[a-z0-9._=\-/+]+$/;

function portOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`dev: ${flag}: expected a port from 1 to 65535, found ${JSON.stringify(value)}`);
  }
  return port;
}

function parse(args: readonly string[], options: ParseArgsOptionsConfig) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`dev: ${error instanceof Error ? error.message : String(error)}\n${devUsage}`);
  }
}

/** Reads `haven dev`'s arguments: run the embedded hub and Haven, or `add-user <name>` on that hub. */
export function parseDevArgs(args: readonly string[]): DevArgs {
  if (args[0] === "add-user") {
    const { positionals } = parse(args.slice(1), {});
    const [localpart, extra] = positionals;
    if (localpart === undefined) throw new UsageError(`dev add-user: expected a user name\n${devUsage}`);
    if (extra !== undefined) throw new UsageError(`dev add-user: unexpected argument ${JSON.stringify(extra)}`);
    if (!localpartPattern.test(localpart)) {
      throw new UsageError(
        `dev add-user: a user name has lower-case letters, digits and . _ = - / + only, found ${JSON.stringify(localpart)}`,
      );
    }
    return { action: "add-user", localpart };
  }
  const { values, positionals } = parse(args, {
    fresh: { type: "boolean", default: false },
    "client-port": { type: "string" },
    "federation-port": { type: "string" },
  });
  const [stray] = positionals;
  if (stray !== undefined) throw new UsageError(`dev: unexpected argument ${JSON.stringify(stray)}\n${devUsage}`);
  const clientPort = portOption(values["client-port"] as string | undefined, "--client-port");
  const federationPort = portOption(values["federation-port"] as string | undefined, "--federation-port");
  if (clientPort !== undefined && clientPort === federationPort) {
    throw new UsageError(`dev: --client-port and --federation-port must differ, both are ${clientPort}`);
  }
  return {
    action: "run",
    fresh: values["fresh"] === true,
    ...(clientPort !== undefined && { clientPort }),
    ...(federationPort !== undefined && { federationPort }),
  };
}
