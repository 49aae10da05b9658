import { loadConfig, resolveConfigPath } from "../config/load.ts";
import { exitCodes, expectNoArguments, type Command } from "./command.ts";

export const checkConfig: Command = {
  name: "check-config",
  summary: "Load and validate the config ($HAVEN_CONFIG, default config/haven.yaml) with the environment's overrides.",
  run(context) {
    expectNoArguments(context, "check-config");
    const options = { env: context.env, cwd: context.cwd };
    loadConfig(options);
    context.stdout.write(`config ok: ${resolveConfigPath(options)}\n`);
    return Promise.resolve(exitCodes.ok);
  },
};
