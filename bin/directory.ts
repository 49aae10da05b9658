import { stringify } from "yaml";
import { loadDirectoryFile } from "../config/load-directory.ts";
import { listServices, replaceAllServices } from "../core/db/repositories/services.ts";
import { expectPositionals, parseOperatorArgs } from "./admin/args.ts";
import { withHavenDatabase } from "./admin/database.ts";
import { printResult } from "./admin/output.ts";
import { exitCodes, UsageError, type Command } from "./command.ts";

const usage = [
  "usage: haven directory export [--json]",
  "       haven directory import <directory.yaml> [--json]",
  "",
  "export  prints the service directory survivors search, as YAML in the format of config/directory.sample.yaml",
  "        (import reads it back), or as JSON with --json",
  "import  replaces the whole directory with the file's services, after checking every one of them (nothing is",
  "        changed when one is invalid); survivors see it at once",
  "Exit codes: 0 done, 1 failure, 2 invalid config or directory file, 64 wrong command line.",
].join("\n");

export const directory: Command = {
  name: "directory",
  summary: "The service directory: `directory export`, `directory import <file>`.",
  async run(context) {
    const args = parseOperatorArgs(context.args, usage);
    if (args.help) return (context.stdout.write(`${usage}\n`), exitCodes.ok);
    const [action] = args.positionals;
    if (action === "export") {
      expectPositionals(args, ["export"], usage);
      const services = await withHavenDatabase(context, (database) => listServices(database.db));
      printResult(context, args.json, { services }, stringify({ services }));
      return exitCodes.ok;
    }
    if (action === "import") {
      const [, file] = expectPositionals(args, ["import", "directory.yaml"], usage);
      const services = loadDirectoryFile(file!);
      await withHavenDatabase(context, (database) => replaceAllServices(database.db, services));
      printResult(context, args.json, { imported: services.length }, `imported ${services.length} services`);
      return exitCodes.ok;
    }
    throw new UsageError(`directory: expected export or import, found ${JSON.stringify(action ?? "")}\n${usage}`);
  },
};
