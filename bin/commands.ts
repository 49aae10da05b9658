import { cases } from "./cases.ts";
import { checkConfig } from "./check-config.ts";
import type { Command } from "./command.ts";
import { createToken } from "./create-token.ts";
import { describeConfig } from "./describe-config.ts";
import { demo } from "./demo.ts";
import { dev } from "./dev.ts";
import { directory } from "./directory.ts";
import { migrate } from "./migrate.ts";
import { org } from "./org.ts";
import { start } from "./start.ts";

/** Haven's subcommands. A new one (start, migrate, …) is a module exporting a Command, added here. */
export const commands: readonly Command[] = [
  start,
  dev,
  demo,
  checkConfig,
  describeConfig,
  migrate,
  org,
  directory,
  cases,
  createToken,
];
