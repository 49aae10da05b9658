import { spawn } from "node:child_process";
import { join } from "node:path";

const havenBin = join(import.meta.dirname, "..", "..", "..", "bin", "haven.ts");

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real CLI (`node bin/haven.ts …`) as a child process with exactly `env` as its environment, so nothing
 * from the test process's environment (HAVEN_* variables included) leaks in.
 */
export function runHaven(args: readonly string[], env: Readonly<Record<string, string>>, cwd?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [havenBin, ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
