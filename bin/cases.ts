import { caseStates, type CaseState } from "../core/cases/states.ts";
import { listCasesByState } from "../core/db/repositories/cases.ts";
import type { Case } from "../core/db/schema.ts";
import { expectPositionals, parseOperatorArgs } from "./admin/args.ts";
import { withHavenDatabase } from "./admin/database.ts";
import { printResult, table } from "./admin/output.ts";
import { exitCodes, UsageError, type Command } from "./command.ts";

const usage = [
  "usage: haven cases list [--state <state>] [--json]",
  "",
  `Lists cases, oldest first: code, state, organisation, category, times. States: ${caseStates.join(", ")};`,
  "without --state, every open case (not closed or erased). Never shows who the survivor is or her room.",
  "Exit codes: 0 done, 1 failure, 2 invalid config, 64 wrong command line.",
].join("\n");

const openStates = caseStates.filter((state) => state !== "closed" && state !== "erased");

/** What an operator may see of a case: metadata, and nothing that identifies the survivor. */
function view(row: Case) {
  return {
    code: row.id,
    state: row.state,
    orgId: row.org_id,
    category: row.category,
    province: row.province,
    urgent: Boolean(row.urgent),
    under18: Boolean(row.under18),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export const cases: Command = {
  name: "cases",
  summary: "Cases (metadata only): `cases list [--state <state>]`.",
  async run(context) {
    const args = parseOperatorArgs(context.args, usage, { state: { type: "string" } });
    if (args.help) return (context.stdout.write(`${usage}\n`), exitCodes.ok);
    const [action] = args.positionals;
    if (action !== "list")
      throw new UsageError(`cases: expected list, found ${JSON.stringify(action ?? "")}\n${usage}`);
    expectPositionals(args, ["list"], usage);
    const state = args.values["state"];
    if (state !== undefined && !caseStates.includes(state as CaseState)) {
      throw new UsageError(
        `cases list: --state: expected one of ${caseStates.join(", ")}, found ${JSON.stringify(state)}`,
      );
    }
    const states = state === undefined ? openStates : [state as CaseState];
    const rows = await withHavenDatabase(context, async (database) => {
      const lists = await Promise.all(states.map((each) => listCasesByState(database.db, each)));
      return lists.flat().sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
    });
    const views = rows.map(view);
    const text = table(
      ["code", "state", "organisation", "category", "urgent", "created"],
      views.map((c) => [c.code, c.state, c.orgId ?? "-", c.category ?? "-", c.urgent ? "yes" : "", c.createdAt]),
    );
    printResult(context, args.json, views, text);
    return exitCodes.ok;
  },
};
