import type { Env } from "../config/secret-field.ts";

export interface Output {
  write(text: string): unknown;
}

/** Everything a subcommand may use from its process: passed in, so commands are testable without one. */
export interface CommandContext {
  /** Arguments after the subcommand's name. */
  readonly args: readonly string[];
  readonly env: Env;
  readonly cwd: string;
  readonly stdout: Output;
  readonly stderr: Output;
}

/** A subcommand, declared as data; bin/commands.ts lists them. `run` resolves to the process's exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  run(context: CommandContext): Promise<number>;
}

/** The process exit codes Haven uses. */
export const exitCodes = {
  ok: 0,
  /** Startup failed for a reason other than the config. */
  failure: 1,
  /** The config is invalid (a ConfigError). */
  config: 2,
  /** The command line is wrong. */
  usage: 64,
  /** The disk under the data directory (or the database) is full: Haven stopped rather than lose events. */
  diskFull: 74,
} as const;

/** Wrong command line: reported with the usage exit code. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function expectNoArguments(context: CommandContext, command: string): void {
  const [first] = context.args;
  if (first !== undefined) throw new UsageError(`${command}: unexpected argument ${JSON.stringify(first)}`);
}
