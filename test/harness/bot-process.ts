import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { resolve } from "node:path";

const projectRoot = resolve(import.meta.dirname, "../..");

/**
 * A bot running in its own process, so a test can kill it with SIGKILL like a power cut.
 * Reads the `ready <deviceId>` line the fixture prints once it is syncing and handling events.
 */
export class BotProcess {
  readonly script: string;
  readonly env: Record<string, string>;
  readonly args: readonly string[];
  readonly stdoutLines: string[] = [];
  /** Reads a stdout line; returns what `ready` resolves with when the line says the process is ready. */
  private readonly readyFrom: (line: string) => string | undefined;
  private child: ChildProcess | undefined;
  private stderr = "";
  private readonly stderrChunks: string[] = [];

  constructor(
    script: string,
    env: Record<string, string>,
    options: { args?: readonly string[]; readyFrom?: (line: string) => string | undefined } = {},
  ) {
    this.script = resolve(projectRoot, script);
    this.env = env;
    this.args = options.args ?? [];
    this.readyFrom =
      options.readyFrom ?? ((line) => (line.startsWith("ready ") ? line.slice("ready ".length) : undefined));
  }

  /** The running process's id (the bench samples its CPU and memory); undefined before start. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get stderrTail(): string {
    return this.stderr;
  }

  /** Everything the process printed, across restarts: its log. */
  get output(): string {
    return `${this.stdoutLines.join("\n")}\n${this.stderrChunks.join("")}`;
  }

  /**
   * Spawns the process; `ready` resolves with the device ID it reports, or rejects if it exits first.
   * `reached(line)` resolves when the process prints that line (e.g. a start-up stage).
   */
  start(): { ready: Promise<string>; reached: (line: string) => Promise<void> } {
    const child = spawn(process.execPath, [this.script, ...this.args], {
      cwd: projectRoot,
      env: { ...process.env, ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrChunks.push(chunk.toString("utf8"));
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-20_000);
    });
    const lines = createInterface({ input: child.stdout });
    const waiting = new Map<string, () => void>();
    const reached = (expected: string): Promise<void> =>
      new Promise((resolveLine) => waiting.set(expected, resolveLine));
    const ready = new Promise<string>((resolveReady, reject) => {
      lines.on("line", (line) => {
        this.stdoutLines.push(line);
        waiting.get(line)?.();
        const ready = this.readyFrom(line);
        if (ready !== undefined) resolveReady(ready);
      });
      child.once("exit", (code, signal) =>
        reject(new Error(`bot exited (${code ?? signal}) before ready; stderr:\n${this.stderr.slice(-3000)}`)),
      );
    });
    ready.catch(() => undefined);
    return { ready, reached };
  }

  /** Resolves with the exit code (or signal) when the running process ends by itself or is stopped. */
  exited(): Promise<number | string> {
    const child = this.child;
    if (!child) return Promise.reject(new Error("not started"));
    if (child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve(child.exitCode ?? child.signalCode!);
    return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal!)));
  }

  /** SIGKILL, then wait until the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGKILL");
    await gone;
  }

  async stop(): Promise<void> {
    await this.kill();
  }
}
