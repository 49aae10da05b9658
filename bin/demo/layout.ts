import { join } from "node:path";

/** The demo's three homeservers: Haven's hub and two partner organisations' servers. */
export const demoServerNames = ["hub", "partner-a", "partner-b"] as const;
export type DemoServer = (typeof demoServerNames)[number];

/** Where `haven demo` keeps everything: `<dataDir>/demo/`, which `--fresh` empties, and `<dataDir>/demo.json`. */
export interface DemoLayout {
  /** `<dataDir>/demo` */
  readonly root: string;
  /** Held by the running `haven demo` (its PID). */
  readonly lockFile: string;
  /** A homeserver's directory: homeserver.yaml, its SQLite database, keys, media, logs. */
  serverDir(server: DemoServer): string;
  /** PID of a homeserver's Synapse while `haven demo` runs it. */
  pidFile(server: DemoServer): string;
  /** What the first run chose and made (ports, server names, room IDs), reused by later runs. */
  readonly stateFile: string;
  /** Generated secrets and passwords, one file each, owner-only. */
  secretFile(name: string): string;
  /** The partner organisations file and Haven config the demo writes on every run. */
  readonly organisationsFile: string;
  readonly havenConfigFile: string;
  /** Haven's own data directory (SQLite, bot crypto stores). */
  readonly havenDataDir: string;
  /** The contract for scripts and tests, written once everything is ready: `<dataDir>/demo.json`. */
  readonly demoJsonFile: string;
}

export function demoLayout(dataDir: string): DemoLayout {
  const root = join(dataDir, "demo");
  return {
    root,
    lockFile: join(root, "demo.lock"),
    serverDir: (server) => join(root, server),
    pidFile: (server) => join(root, server, "synapse.pid"),
    stateFile: join(root, "demo-state.json"),
    secretFile: (name) => join(root, "secrets", name),
    organisationsFile: join(root, "organisations.yaml"),
    havenConfigFile: join(root, "haven.yaml"),
    havenDataDir: join(root, "haven"),
    demoJsonFile: join(dataDir, "demo.json"),
  };
}
