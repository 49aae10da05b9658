import { ConfigError } from "../config/config-error.ts";
import { exitCodes, UsageError, type Command, type CommandContext } from "./command.ts";

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}

function usage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return ["usage: haven <command>", "", "commands:", ...lines, ""].join("\n");
}

/**
 * Runs the subcommand named by `argv[0]` and resolves to the exit code. Every failure is reported as one line on
 * stderr: a ConfigError as is (exit 2), a wrong command line with "haven: " (exit 64), anything else with
 * "haven: " and the first line of its message (exit 1).
 */
export async function runCli(
  commands: readonly Command[],
  argv: readonly string[],
  io: Omit<CommandContext, "args">,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    (name === undefined ? io.stderr : io.stdout).write(usage(commands));
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    const known = commands.map((candidate) => candidate.name).join(", ");
    io.stderr.write(`haven: unknown command ${JSON.stringify(name)} (commands: ${known})\n`);
    return exitCodes.usage;
  }
  try {
    return await command.run({ ...io, args });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return exitCodes.config;
    }
    const message = error instanceof Error ? firstLine(error.message) : "unknown error";
    io.stderr.write(`haven: ${message}\n`);
    return error instanceof UsageError ? exitCodes.usage : exitCodes.failure;
  }
}
