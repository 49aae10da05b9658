import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

/** Secret values that must never be printed: every test checks its output for all of them. */
export const canaries = {
  intakePassword: "CANARY-intake-password-5b1e",
  routerToken: "CANARY-router-token-9c2d",
  literal: "CANARY-literal-in-yaml-44af",
  databasePassword: "CANARY-database-password-7e10",
  databaseUrlWithoutScheme: "CANARY-bare-database-secret-0d3c",
  /** base64 of 24 bytes: a storage key of the wrong size. */
  shortStorageKey: Buffer.from("CANARY-storage-key-24-by").toString("base64"),
  bootstrapToken: "CANARY-bootstrap-token-61aa",
} as const;

export const allCanaries: readonly string[] = Object.values(canaries);

/** The environment the valid document needs: the intake password. */
export const baseEnv = { TEST_INTAKE_PASSWORD: canaries.intakePassword } as const;

export type Document = Record<string, unknown>;

export const hub = { serverName: "hub.example.org", clientUrl: "https://hub.example.org" } as const;
export const intake = { userId: "@intake:hub.example.org", password: { env: "TEST_INTAKE_PASSWORD" } } as const;
/** The router's access token is read from `router.token` beside the config file. */
export const router = { userId: "@router:hub.example.org", accessToken: { file: "router.token" } } as const;

/** A minimal valid config document (a fresh copy each time). */
export function validDocument(): Document {
  return structuredClone({
    hub,
    bots: { intake, router },
    federation: { allowedServers: ["ngo-a.example.org"] },
    retention: { defaultMaxLifetime: "30d" },
  });
}

export interface ConfigDir {
  readonly dir: string;
  readonly configPath: string;
  remove(): void;
}

/** A temporary directory holding `haven.yaml` (the document, or raw YAML text), `router.token` and `files`. */
export function writeConfigDir(document: Document | string, files: Readonly<Record<string, string>> = {}): ConfigDir {
  const dir = mkdtempSync(join(tmpdir(), "haven-config-"));
  const configPath = join(dir, "haven.yaml");
  writeFileSync(configPath, typeof document === "string" ? document : stringify(document));
  writeFileSync(join(dir, "router.token"), `${canaries.routerToken}\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, configPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
