import { checkConfig } from "./check-config.ts";
import type { Command } from "./command.ts";
import { createToken } from "./create-token.ts";
import { describeConfig } from "./describe-config.ts";
import { dev } from "./dev.ts";
import { start } from "./start.ts";

/** Haven's subcommands. A new one (start, migrate, …) is a module exporting a Command, added here. */
export const commands: readonly Command[] = [start, dev, checkConfig, describeConfig, createToken];
