import { loadConfig } from "../config/load.ts";
import { connectDatabase } from "../core/db/open.ts";
import { migrateToLatest } from "../core/db/migrate.ts";
import { expectPositionals, parseOperatorArgs } from "./admin/args.ts";
import { printResult } from "./admin/output.ts";
import { exitCodes, type Command } from "./command.ts";

const usage = [
  "usage: haven migrate [--json]",
  "",
  "Brings Haven's database (SQLite in the data directory, or database.url) up to this version's schema.",
  "`start` does the same on every start; run it alone before an upgrade's first start, or to check a backup.",
  "Exit codes: 0 migrated (or already current), 1 a migration failed (nothing of it applied) or the database",
  "is newer than this Haven, 2 invalid config, 64 wrong command line.",
].join("\n");

export const migrate: Command = {
  name: "migrate",
  summary: "Migrate Haven's database to this version's schema (`start` does it too).",
  async run(context) {
    const args = parseOperatorArgs(context.args, usage);
    if (args.help) return (context.stdout.write(`${usage}\n`), exitCodes.ok);
    expectPositionals(args, [], usage);
    const config = loadConfig({ env: context.env, cwd: context.cwd });
    const database = connectDatabase({ url: config.database.url?.reveal(), dataDir: config.dataDir });
    try {
      const applied = await migrateToLatest(database.db, database.dialect);
      const text =
        applied.length === 0
          ? `database (${database.dialect}) is current`
          : `database (${database.dialect}) migrated: ${applied.join(", ")}`;
      printResult(context, args.json, { dialect: database.dialect, applied }, text);
      return exitCodes.ok;
    } finally {
      await database.close();
    }
  },
};
