import { loadConfig } from "../config/load.ts";
import { createLogger } from "../core/log/logger.ts";
import { stopWithin } from "./bounded-stop.ts";
import { exitCodes, expectNoArguments, type Command } from "./command.ts";
import { startHaven } from "./haven-process.ts";
import { safeError } from "../core/log/safe-error.ts";
import { diskFullCode } from "../core/log/disk-full.ts";

const stopTimeoutMs = 30_000;

/** Runs Haven until SIGINT or SIGTERM, then stops every bot cleanly (their crypto state written to disk). */
export const start: Command = {
  name: "start",
  summary: "Run Haven: the bots on the hub, with the config ($HAVEN_CONFIG, default config/haven.yaml).",
  async run(context) {
    expectNoArguments(context, "start");
    const config = loadConfig({ env: context.env, cwd: context.cwd });
    const logger = createLogger(config.log.level);
    let diskFull = false;
    let stopNow = (): void => undefined;
    const stopRequested = new Promise<void>((resolve) => {
      stopNow = resolve;
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    const haven = await startHaven(config, logger, {
      onFatal(error) {
        diskFull = true;
        logger.fatal(
          { reason: diskFullCode(error), err: safeError(error), dataDir: config.dataDir },
          "the disk under Haven's data is full: Haven stops rather than lose or half-record an event; free space and start it again (nothing is lost: what was not finished is done after the restart)",
        );
        stopNow();
      },
    });
    await stopRequested;
    logger.info("stopping");
    // With the disk full the bots cannot write their last crypto state; what is on disk is consistent with the server.
    const stopHaven = diskFull
      ? () => haven.stop().catch((error: unknown) => logger.error({ err: safeError(error) }, "stop incomplete"))
      : () => haven.stop();
    if (!(await stopWithin(stopHaven, { timeoutMs: stopTimeoutMs }))) {
      logger.error({ timeoutMs: stopTimeoutMs }, "stop did not finish in time; exiting anyway");
      return exitCodes.failure;
    }
    logger.info("stopped");
    return diskFull ? exitCodes.diskFull : exitCodes.ok;
  },
};
