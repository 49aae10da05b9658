import { loadConfig } from "../../config/load.ts";
import type { Config } from "../../config/types.ts";
import { openDatabase, type HavenDatabase } from "../../core/db/open.ts";
import type { CommandContext } from "../command.ts";

/**
 * Runs `use` on Haven's database as the config names it ($HAVEN_CONFIG and the environment's overrides, as
 * `start` reads them), migrated to this version first as `start` would, and closes it afterwards.
 */
export async function withHavenDatabase<T>(
  context: CommandContext,
  use: (database: HavenDatabase, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ env: context.env, cwd: context.cwd });
  const database = await openDatabase({ url: config.database.url?.reveal(), dataDir: config.dataDir });
  try {
    return await use(database, config);
  } finally {
    await database.close();
  }
}
