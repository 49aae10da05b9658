import { configReference } from "../config/describe.ts";
import { exitCodes, expectNoArguments, type Command } from "./command.ts";

export const describeConfig: Command = {
  name: "describe-config",
  summary: "Print the config key reference (Markdown), generated from the schema: docs/configuration.md.",
  run(context) {
    expectNoArguments(context, "describe-config");
    context.stdout.write(configReference());
    return Promise.resolve(exitCodes.ok);
  },
};
