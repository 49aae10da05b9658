// A throwaway PostgreSQL cluster for tests, from Debian's server binaries: its own temp dir (in /dev/shm
// when there is one; HAVEN_PG_TMPDIR overrides), a free loopback port, a unix socket inside the temp dir,
// fsync off. Removed by stop(), or on exit, SIGINT or SIGTERM if stop() never ran.
import { execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, chownSync, constants, existsSync, readdirSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  initCluster,
  killServerSync,
  launchServer,
  stopServer,
  urlFor,
  type ClusterLayout,
} from "./postgres-server.ts";

const DEBIAN_POSTGRES_ROOT = "/usr/lib/postgresql";

export interface PostgresCluster {
  /** Superuser URL of the cluster's `postgres` database (trust auth, loopback only). */
  readonly url: string;
  /** Creates an empty database with a random name and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server and removes its files. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The newest `/usr/lib/postgresql/<version>/bin` holding initdb and postgres; throws when there is none. */
export function findPostgresBinDir(root = DEBIAN_POSTGRES_ROOT): string {
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+(\.\d+)?$/.test(name)) : [];
  const newest = versions
    .filter((version) => ["initdb", "postgres"].every((bin) => existsSync(join(root, version, "bin", bin))))
    .sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) {
    throw new Error(
      `PostgreSQL server binaries not found in ${root}/<version>/bin: ` +
        `install PostgreSQL: apt-get install postgresql (or run scripts/ensure-postgres.sh)`,
    );
  }
  return join(root, newest, "bin");
}

/** Creates an empty database in the cluster at `clusterUrl`; safe to call from parallel test files. */
export async function createDatabase(clusterUrl: string): Promise<string> {
  const name = `test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// PostgreSQL refuses to run as root, and tests often do (containers, CI): then it runs as `postgres`.
function osUserForPostgres(): ClusterLayout["runAs"] {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string): number => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch (error) {
    const message =
      "running as root but there is no `postgres` OS user: install PostgreSQL: apt-get install postgresql";
    throw new Error(message, { cause: error });
  }
}

// A cluster in memory (tmpfs) creates databases several times faster than one on disk, even with fsync off.
function parentDirForCluster(): string {
  const override = process.env["HAVEN_PG_TMPDIR"];
  if (override) return override;
  try {
    accessSync("/dev/shm", constants.W_OK);
    return "/dev/shm";
  } catch {
    return tmpdir();
  }
}

const liveClusters = new Set<() => void>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const killAll = (): void => liveClusters.forEach((kill) => kill());
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export async function startPostgres(): Promise<PostgresCluster> {
  const binDir = findPostgresBinDir();
  const runAs = osUserForPostgres();
  const layout: ClusterLayout = { binDir, runAs, dir: await mkdtemp(join(parentDirForCluster(), "haven-pg-")) };
  let server: ChildProcess | undefined;
  const killNow = (): void => {
    killServerSync(server, layout);
    rmSync(layout.dir, { recursive: true, force: true });
  };
  liveClusters.add(killNow);
  installExitHooks();

  let port: number;
  try {
    if (layout.runAs) chownSync(layout.dir, layout.runAs.uid, layout.runAs.gid);
    initCluster(layout);
    port = await launchServer(layout, (spawned) => (server = spawned));
  } catch (error) {
    killNow();
    liveClusters.delete(killNow);
    throw error;
  }

  const url = urlFor(port, "postgres");
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await stopServer(server);
    rmSync(layout.dir, { recursive: true, force: true });
    liveClusters.delete(killNow);
  };
  return { url, createDatabase: () => createDatabase(url), stop: () => (stopping ??= stop()) };
}
