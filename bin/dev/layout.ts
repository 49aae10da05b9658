import { join, resolve } from "node:path";
import { defaultDataDir } from "../../config/project-root.ts";
import type { Env } from "../../config/secret-field.ts";

/** The bot accounts `haven dev` registers on its hub; their localparts are their roles. */
export const devBotRoles = ["intake", "router"] as const;
export type DevBotRole = (typeof devBotRoles)[number];

/** Where `haven dev` keeps everything: one folder, `<dataDir>/dev/`, that `--fresh` empties. */
export interface DevLayout {
  /** `<dataDir>/dev` */
  readonly root: string;
  /** Held by the running `haven dev` (its PID), so that two never share one data directory. */
  readonly lockFile: string;
  /** The hub Synapse's directory: homeserver.yaml, its SQLite database, keys, media, logs. */
  readonly hubDir: string;
  /** The hub's settings chosen on its first run (server name, ports). */
  readonly hubSettingsFile: string;
  /** PID of the hub Synapse while `haven dev` runs it. */
  readonly hubPidFile: string;
  /** Generated secrets, each in its own file readable by the owner only. */
  readonly secretsDir: string;
  readonly sharedSecretFile: string;
  botPasswordFile(role: DevBotRole): string;
  /** The Haven config `haven dev` generates on every run. */
  readonly havenConfigFile: string;
  /** Haven's own data directory in dev (SQLite, bot crypto stores), named in the generated config. */
  readonly havenDataDir: string;
}

/** The data directory `haven dev` works in: $HAVEN_DATA_DIR (relative to `cwd`), else .haven/ in the project root. */
export function devDataDir(env: Env, cwd: string): string {
  const given = env["HAVEN_DATA_DIR"];
  return given ? resolve(cwd, given) : defaultDataDir;
}

export function devLayout(dataDir: string): DevLayout {
  const root = join(dataDir, "dev");
  const hubDir = join(root, "hub");
  const secretsDir = join(root, "secrets");
  return {
    root,
    lockFile: join(root, "dev.lock"),
    hubDir,
    hubSettingsFile: join(hubDir, "dev-hub.json"),
    hubPidFile: join(hubDir, "synapse.pid"),
    secretsDir,
    sharedSecretFile: join(secretsDir, "registration-shared-secret"),
    botPasswordFile: (role) => join(secretsDir, `${role}-password`),
    havenConfigFile: join(root, "haven.yaml"),
    havenDataDir: join(root, "haven"),
  };
}
