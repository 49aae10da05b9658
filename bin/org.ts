import { parseOrganisation, type Organisation } from "../core/organisations/index.ts";
import { listOrganisations, upsertOrganisation } from "../core/db/repositories/organisations.ts";
import { ConfigError } from "../config/config-error.ts";
import { readYamlFile } from "../config/yaml-file.ts";
import { expectPositionals, parseOperatorArgs } from "./admin/args.ts";
import { withHavenDatabase } from "./admin/database.ts";
import { printResult, table } from "./admin/output.ts";
import { exitCodes, UsageError, type Command } from "./command.ts";

const usage = [
  "usage: haven org list [--json]",
  "       haven org add <organisation.yaml> [--json]",
  "",
  "list  the partner organisations Haven routes cases to, with their homeserver, responders and queue room",
  "add   adds one organisation, or replaces the one with the same id (its linked queue room is kept unless the",
  "      file names one). The file holds one organisation in the format of config/organisations.sample.yaml.",
  "      Haven reads organisations when it starts: restart it afterwards.",
  "Exit codes: 0 done, 1 failure, 2 invalid config or organisation file, 64 wrong command line.",
].join("\n");

function summary(organisation: Organisation) {
  return {
    id: organisation.id,
    name: organisation.name.en,
    homeserver: organisation.homeserver,
    responders: organisation.responders,
    queueRoomId: organisation.queueRoomId,
    alwaysOpen: organisation.alwaysOpen,
  };
}

function readOrganisation(path: string): Organisation {
  const result = parseOrganisation(readYamlFile(path));
  if (result.ok) return result.organisation;
  const [first] = result.problems;
  throw new ConfigError(`${path}: ${first?.path ? `${first.path}: ` : ""}${first?.message ?? "invalid organisation"}`);
}

export const org: Command = {
  name: "org",
  summary: "Partner organisations: `org list`, `org add <file>`.",
  async run(context) {
    const args = parseOperatorArgs(context.args, usage);
    if (args.help) return (context.stdout.write(`${usage}\n`), exitCodes.ok);
    const [action] = args.positionals;
    if (action === "list") {
      expectPositionals(args, ["list"], usage);
      const organisations = await withHavenDatabase(context, (database) => listOrganisations(database.db));
      const rows = organisations.map((organisation) => {
        const { id, homeserver, responders, queueRoomId } = summary(organisation);
        return [id, homeserver, String(responders.length), queueRoomId ?? "(not linked)"];
      });
      printResult(
        context,
        args.json,
        organisations.map(summary),
        table(["id", "homeserver", "responders", "queue room"], rows),
      );
      return exitCodes.ok;
    }
    if (action === "add") {
      const [, file] = expectPositionals(args, ["add", "organisation.yaml"], usage);
      const organisation = readOrganisation(file!);
      await withHavenDatabase(context, (database) => upsertOrganisation(database.db, organisation));
      printResult(context, args.json, summary(organisation), `organisation ${organisation.id} saved`);
      return exitCodes.ok;
    }
    throw new UsageError(`org: expected list or add, found ${JSON.stringify(action ?? "")}\n${usage}`);
  },
};
