import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../../config/project-root.ts";
import type { Env } from "../../config/secret-field.ts";

/** The variable naming a Python that has Synapse installed; scripts/test.sh sets it to skip the venv check. */
export const synapsePythonVariable = "HAVEN_SYNAPSE_PYTHON";

/**
 * The Python of the project's Synapse virtualenv: $HAVEN_SYNAPSE_PYTHON, else what scripts/ensure-synapse.sh prints
 * (it creates .tools/synapse-venv with the pinned matrix-synapse on first use, quick afterwards).
 */
export function synapsePython(env: Env = process.env): string {
  const fromEnv = env[synapsePythonVariable];
  if (fromEnv) return fromEnv;
  const output = execFileSync("bash", [join(projectRoot, "scripts/ensure-synapse.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return output.trim().split("\n").at(-1) ?? "";
}
