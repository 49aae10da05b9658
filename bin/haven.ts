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
// The command has finished and stopped what it started. matrix-js-sdk leaves a timer behind for every request it
// made (up to 110 s for a sync), which would keep the process alive that long after a clean stop: leave once
// pending output has had a moment to drain.
setTimeout(() => process.exit(), 500).unref();
