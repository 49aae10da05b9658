import { loadConfig } from "../config/load.ts";
import { createLogger } from "../core/log/logger.ts";
import { stopWithin } from "./bounded-stop.ts";
import { exitCodes, expectNoArguments, type Command } from "./command.ts";
import { startHaven } from "./haven-process.ts";

const stopTimeoutMs = 30_000;

/** Runs Haven until SIGINT or SIGTERM, then stops every bot cleanly (their crypto state written to disk). */
export const start: Command = {
  name: "start",
  summary: "Run Haven: the bots on the hub, with the config ($HAVEN_CONFIG, default config/haven.yaml).",
  async run(context) {
    expectNoArguments(context, "start");
    const config = loadConfig({ env: context.env, cwd: context.cwd });
    const logger = createLogger(config.log.level);
    const haven = await startHaven(config, logger);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    logger.info("stopping");
    if (!(await stopWithin(() => haven.stop(), { timeoutMs: stopTimeoutMs }))) {
      logger.error({ timeoutMs: stopTimeoutMs }, "stop did not finish in time; exiting anyway");
      return exitCodes.failure;
    }
    logger.info("stopped");
    return exitCodes.ok;
  },
};
