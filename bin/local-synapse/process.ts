import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** Files a local Synapse writes in its directory: its own log (see synapseLogConfig) and what it prints. */
export function synapseLogFiles(dir: string): { log: string; stdio: string } {
  return { log: join(dir, "homeserver.log"), stdio: join(dir, "stdio.log") };
}

export interface StartSynapseOptions {
  /** Python with matrix-synapse installed (see synapsePython). */
  readonly python: string;
  /** Directory holding homeserver.yaml; Synapse runs there and appends what it prints to stdio.log. */
  readonly dir: string;
  /** Where its client API answers, to poll /health. */
  readonly clientUrl: string;
  /** Default 60 s. */
  readonly startTimeoutMs?: number;
  /** Aborting stops the start-up: the process is stopped and the promise rejects. */
  readonly signal?: AbortSignal;
  /** Told the process ID as soon as it is spawned (before it is healthy), to clean up after a crash of the caller. */
  readonly onSpawn?: (pid: number) => void;
}

/** A running Synapse, in its own process group so that a terminal's Ctrl-C reaches only its parent. */
export interface SynapseProcess {
  readonly pid: number;
  readonly running: boolean;
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>;
  /** SIGTERM, then SIGKILL to its process group if it has not exited after `graceMs` (default 10 s). */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to its process group, at once. */
  kill(): void;
}

/** Synapse did not become healthy; the message ends with the tail of its logs. */
export class SynapseStartError extends Error {
  override readonly name = "SynapseStartError";
}

const tailLines = 30;

async function tail(path: string, lines: number): Promise<string> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/**
 * The last lines of a local Synapse's logs: what it printed (Python tracebacks, errors before its logging starts)
 * and its own log, each under its path.
 */
export async function synapseLogTail(dir: string, lines = tailLines): Promise<string> {
  const files = synapseLogFiles(dir);
  const parts: string[] = [];
  for (const path of [files.stdio, files.log]) {
    const text = await tail(path, lines);
    if (text !== "") parts.push(`--- ${path} (last lines)\n${text}`);
  }
  return parts.length === 0 ? "(Synapse wrote no log)" : parts.join("\n");
}

function processRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

class LocalSynapseProcess implements SynapseProcess {
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  readonly pid: number;

  constructor(child: ChildProcess, pid: number) {
    this.child = child;
    this.pid = pid;
    this.exited = new Promise((resolve) => {
      if (!processRunning(child)) resolve();
      else child.once("exit", () => resolve());
    });
  }

  get running(): boolean {
    return processRunning(this.child);
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.running) killGroup(this.pid);
  }
}

async function waitUntilHealthy(synapse: SynapseProcess, options: StartSynapseOptions): Promise<void> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (options.signal?.aborted) throw new SynapseStartError("start-up of Synapse interrupted");
    if (!synapse.running) {
      await synapse.exited;
      throw new SynapseStartError(`Synapse exited during start-up:\n${await synapseLogTail(options.dir)}`);
    }
    try {
      const response = await fetch(`${options.clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new SynapseStartError(
    `Synapse at ${options.clientUrl} not healthy within ${timeoutMs / 1000} s:\n${await synapseLogTail(options.dir)}`,
  );
}

/**
 * Starts Synapse on `<dir>/homeserver.yaml` and resolves once its client API answers /health. If it exits, does not
 * answer in time or the start is aborted, the process is stopped and the promise rejects with a SynapseStartError.
 */
export async function startSynapseProcess(options: StartSynapseOptions): Promise<SynapseProcess> {
  const stdio = openSync(synapseLogFiles(options.dir).stdio, "a");
  const child = spawn(options.python, ["-m", "synapse.app.homeserver", "-c", join(options.dir, "homeserver.yaml")], {
    cwd: options.dir,
    detached: true,
    stdio: ["ignore", stdio, stdio],
  });
  closeSync(stdio);
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once("error", resolve));
    throw new SynapseStartError(`cannot run ${options.python}: ${error.message}`);
  }
  options.onSpawn?.(pid);
  const synapse = new LocalSynapseProcess(child, pid);
  try {
    await waitUntilHealthy(synapse, options);
  } catch (error) {
    await synapse.stop(5_000);
    throw error;
  }
  return synapse;
}
