// Haven's command-line entry: `node bin/haven.ts <command>` (Node 24: see scripts/env.sh). Everything else lives in
// importable modules; this file only binds them to the process.
import { runCli } from "./cli.ts";
import { commands } from "./commands.ts";

process.exitCode = await runCli(commands, process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
