import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "../command.ts";

export interface OperatorArgs {
  readonly help: boolean;
  readonly json: boolean;
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

/**
 * The command line of an operator's subcommand: `--help`, `--json` and the command's own options; anything else
 * is a UsageError that ends with the command's usage.
 */
export function parseOperatorArgs(
  args: readonly string[],
  usage: string,
  options: ParseArgsOptionsConfig = {},
): OperatorArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...options,
        help: { type: "boolean", short: "h", default: false },
        json: { type: "boolean", default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    return {
      help: values["help"] === true,
      json: values["json"] === true,
      positionals,
      values: values,
    };
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
}

/** Exactly `count` positionals, named for the error message. */
export function expectPositionals(args: OperatorArgs, names: readonly string[], usage: string): string[] {
  if (args.positionals.length !== names.length) {
    const wanted = names.length === 0 ? "no arguments" : names.map((name) => `<${name}>`).join(" ");
    throw new UsageError(`expected ${wanted}, found ${JSON.stringify(args.positionals)}\n${usage}`);
  }
  return [...args.positionals];
}
