// The PostgreSQL server process behind test/harness/postgres.ts: initdb, start on a free port, stop.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import pg from "pg";

export const SUPERUSER = "haven";
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 3;

export interface ClusterLayout {
  binDir: string;
  /** The temp dir: holds the data dir, the unix socket and the server log. */
  dir: string;
  /** Set when running as root: PostgreSQL refuses root, so the cluster runs as this OS user. */
  runAs?: { uid: number; gid: number } | undefined;
}

const dataDirOf = (layout: ClusterLayout): string => join(layout.dir, "data");
const logFileOf = (layout: ClusterLayout): string => join(layout.dir, "postgres.log");
const processOptions = (layout: ClusterLayout): { cwd: string; uid?: number; gid?: number } => ({
  cwd: layout.dir,
  ...layout.runAs,
});

export function urlFor(port: number, database: string): string {
  return `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`;
}

export function initCluster(layout: ClusterLayout): void {
  const args = ["-D", dataDirOf(layout), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C"];
  try {
    execFileSync(join(layout.binDir, "initdb"), [...args, "--no-sync", "--no-instructions"], {
      ...processOptions(layout),
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`initdb failed: ${stderr || String(error)}`, { cause: error });
  }
}

/**
 * Starts the server on a free loopback port and returns the port. Tries another port if someone took
 * the chosen one meanwhile. `onSpawn` learns each process as soon as it exists, so it can be killed
 * even if startup fails.
 */
export async function launchServer(layout: ClusterLayout, onSpawn: (server: ChildProcess) => void): Promise<number> {
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = await freeLoopbackPort();
    const logFd = openSync(logFileOf(layout), "a");
    const server = spawn(
      join(layout.binDir, "postgres"),
      [
        ...["-D", dataDirOf(layout), "-p", String(port), "-k", layout.dir],
        ...["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
        ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
      ],
      // Own process group: a Ctrl-C in the terminal reaches the runner, which then stops the server in order.
      { ...processOptions(layout), stdio: ["ignore", logFd, logFd], detached: true },
    );
    closeSync(logFd);
    onSpawn(server);
    if (await waitUntilReady(server, layout, port)) return port;
  }
  throw new Error(`postgres did not start:\n${logTail(layout)}`);
}

const isRunning = (server: ChildProcess | undefined): server is ChildProcess =>
  server !== undefined && server.exitCode === null && server.signalCode === null;

/** Fast shutdown (clients are disconnected, not waited for); SIGKILL if it takes too long. */
export async function stopServer(server: ChildProcess | undefined): Promise<void> {
  if (!isRunning(server)) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGINT");
  const timer = setTimeout(() => server.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** For exit hooks, where nothing asynchronous runs: immediate shutdown, then wait for the pid file to go. */
export function killServerSync(server: ChildProcess | undefined, layout: ClusterLayout): void {
  if (!isRunning(server)) return;
  server.kill("SIGQUIT");
  const pidFile = join(dataDirOf(layout), "postmaster.pid");
  const deadline = Date.now() + 5_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (existsSync(pidFile) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
}

async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("could not pick a free port");
  return address.port;
}

/** True once the server answers; false if it exited first (e.g. its port was taken meanwhile). */
async function waitUntilReady(server: ChildProcess, layout: ClusterLayout, port: number): Promise<boolean> {
  const url = urlFor(port, "postgres");
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isRunning(server)) return false;
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`postgres was not ready after ${START_TIMEOUT_MS} ms:\n${logTail(layout)}`);
}

function logTail(layout: ClusterLayout): string {
  try {
    return readFileSync(logFileOf(layout), "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no server log)";
  }
}
