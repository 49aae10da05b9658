import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

const havenBin = resolve(import.meta.dirname, "../../bin/haven.ts");

/** `node bin/haven.ts <args>` (e.g. `dev`, `demo`) as a child process, its output collected. */
export class HavenCommandProcess {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [havenBin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (this.stdout += chunk));
    this.child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolveExit) => this.child.once("exit", (code) => resolveExit(code)));
  }

  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first or time runs out. */
  async waitFor(pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `no ${pattern} (exit ${this.child.exitCode})\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
        );
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  }

  /** The JSON log lines Haven wrote with this message. */
  logs(msg: string): Array<Record<string, unknown>> {
    return this.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry["msg"] === msg);
  }

  async interrupt(): Promise<number | null> {
    this.child.kill("SIGINT");
    return this.exited;
  }
}
