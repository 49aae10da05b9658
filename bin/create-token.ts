import { parseArgs } from "node:util";
import { issueApiToken } from "../admin/issue-token.ts";
import { ADMIN_ROLES, type AdminRole } from "../admin/principal.ts";
import { parseDuration } from "../config/duration.ts";
import { loadConfig } from "../config/load.ts";
import { openDatabase } from "../core/db/open.ts";
import { getOrganisation } from "../core/db/repositories/organisations.ts";
import { exitCodes, UsageError, type Command } from "./command.ts";

const usage =
  "create-token --role <superadmin|coordinator|org_admin|monitor> [--org <id>] [--subject <name>] [--expires <30d>]";

function isRole(value: string): value is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(value);
}

/** Prints a new admin API token once, on stdout; the database keeps only its hash. */
export const createToken: Command = {
  name: "create-token",
  summary: "Create an admin API token (shown once): --role, --org for org_admin, --subject, --expires (default 30d).",
  async run(context) {
    let values: { role?: string; org?: string; subject?: string; expires?: string };
    try {
      ({ values } = parseArgs({
        args: [...context.args],
        options: {
          role: { type: "string" },
          org: { type: "string" },
          subject: { type: "string" },
          expires: { type: "string" },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new UsageError(`${error instanceof Error ? error.message : "bad arguments"}; usage: ${usage}`);
    }
    const role = values.role;
    if (role === undefined || !isRole(role)) throw new UsageError(`--role is required; usage: ${usage}`);
    if ((role === "org_admin") !== (values.org !== undefined)) {
      throw new UsageError("--org is required for org_admin and only for org_admin");
    }
    const lifetimeMs = parseDuration(values.expires ?? "30d");
    if (lifetimeMs === undefined || lifetimeMs > 366 * 86_400_000) {
      throw new UsageError("--expires: a number and a unit s, m, h or d, at most 366d (e.g. 30d)");
    }
    const config = loadConfig({ env: context.env, cwd: context.cwd });
    const database = await openDatabase({ url: config.database.url?.reveal(), dataDir: config.dataDir });
    try {
      if (values.org !== undefined && (await getOrganisation(database.db, values.org)) === undefined) {
        throw new UsageError(`--org: no organisation ${JSON.stringify(values.org)} is stored`);
      }
      const { token, row } = await issueApiToken(database.db, {
        subject: values.subject ?? `cli-${role}`,
        role,
        orgId: values.org ?? null,
        createdBy: "haven create-token",
        now: Date.now(),
        lifetimeMs,
      });
      context.stderr.write(
        `token ${row.id} (${role}) expires ${new Date(row.expires_at).toISOString()}; shown once:\n`,
      );
      context.stdout.write(`${token}\n`);
      return exitCodes.ok;
    } finally {
      await database.close();
    }
  },
};
