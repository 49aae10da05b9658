import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../config/config-error.ts";
import { databaseUrlProblem } from "../../../config/database-url.ts";
import { loadConfig, resolveConfigPath } from "../../../config/load.ts";
import { defaultConfigPath, defaultDataDir, projectRoot } from "../../../config/project-root.ts";
import { Secret } from "../../../config/secret.ts";
import { resolveDatabaseLocation } from "../../../core/db/open.ts";
import {
  allCanaries,
  baseEnv,
  canaries,
  validDocument,
  writeConfigDir,
  type ConfigDir,
  type Document,
} from "./fixtures.ts";

const example = join(projectRoot, "config", "haven.example.yaml");
const exampleEnv = { HAVEN_INTAKE_PASSWORD: canaries.intakePassword, HAVEN_ROUTER_PASSWORD: canaries.routerToken };

let config: ConfigDir | undefined;
afterEach(() => config?.remove());

function load(document: Document, env: Readonly<Record<string, string>> = {}, files?: Record<string, string>) {
  config = writeConfigDir(document, files);
  return loadConfig({ path: config.configPath, env: { ...baseEnv, ...env }, cwd: config.dir });
}

describe("loadConfig", () => {
  it("loads config/haven.example.yaml with the variables it references", () => {
    const loaded = loadConfig({ path: example, env: exampleEnv });
    expect(loaded.hub).toEqual({ serverName: "hub.example.org", clientUrl: "https://hub.example.org" });
    expect(loaded.bots.intake.password?.reveal()).toBe(canaries.intakePassword);
    expect(loaded.bots.intake.deviceDisplayName).toBe("Haven intake");
    expect(loaded.federation.allowedServers).toEqual(["ngo-a.example.org", "shelter-b.example.org:8448"]);
    expect(loaded.retention.defaultMaxLifetime).toBe(30 * 24 * 3_600_000);
  });

  it("applies the defaults", () => {
    const loaded = load(validDocument());
    expect(loaded.log).toEqual({ level: "info" });
    expect(loaded.admin).toEqual({ host: "127.0.0.1", port: 8090 });
    expect(loaded.crypto).toEqual({});
    expect(loaded.hub.adminToken).toBeUndefined();
  });

  it("keeps state in .haven/ in the project root unless told otherwise", () => {
    const loaded = load(validDocument());
    expect(loaded.dataDir).toBe(join(projectRoot, ".haven"));
    expect(loaded.dataDir).toBe(defaultDataDir);
    expect(loaded.database).toEqual({});
  });

  it("takes the data directory from the file, relative to the file", () => {
    const loaded = load({ ...validDocument(), dataDir: "state" });
    expect(loaded.dataDir).toBe(join(config?.dir ?? "", "state"));
  });

  it("lets the environment win over the file", () => {
    const document = {
      ...validDocument(),
      dataDir: "/from/file",
      log: { level: "warn" },
      admin: { port: 9000, bootstrapToken: { file: "bootstrap.token" } },
    };
    const loaded = load(
      document,
      {
        HAVEN_DATA_DIR: "relative-state",
        HAVEN_LOG_LEVEL: "debug",
        HAVEN_ADMIN_PORT: "9100",
        HAVEN_ADMIN_BOOTSTRAP_TOKEN: "from-environment",
        HAVEN_DATABASE_URL: `postgres://haven:${canaries.databasePassword}@db.example.org/haven`,
        HAVEN_HUB_ADMIN_TOKEN: "hub-admin-from-environment",
        HAVEN_CRYPTO_STORAGE_KEY: Buffer.alloc(32, 7).toString("base64"),
        HAVEN_CRYPTO_RECOVERY_KEY: "recovery-from-environment",
      },
      { "bootstrap.token": "from-file" },
    );
    expect(loaded.dataDir).toBe(join(config?.dir ?? "", "relative-state"));
    expect(loaded.log.level).toBe("debug");
    expect(loaded.admin.port).toBe(9100);
    expect(loaded.admin.bootstrapToken?.reveal()).toBe("from-environment");
    expect(loaded.database.url?.reveal()).toContain(canaries.databasePassword);
    expect(loaded.hub.adminToken?.reveal()).toBe("hub-admin-from-environment");
    expect(loaded.crypto.storageKey?.reveal()).toBe(Buffer.alloc(32, 7).toString("base64"));
    expect(loaded.crypto.recoveryKey?.reveal()).toBe("recovery-from-environment");
  });

  it("ignores empty environment overrides", () => {
    const loaded = load({ ...validDocument(), log: { level: "warn" } }, { HAVEN_LOG_LEVEL: "", HAVEN_ADMIN_PORT: "" });
    expect(loaded.log.level).toBe("warn");
    expect(loaded.admin.port).toBe(8090);
  });

  it("reads secrets from files relative to the config file, trimmed", () => {
    const loaded = load(validDocument());
    expect(loaded.bots.router.accessToken).toBeInstanceOf(Secret);
    expect(loaded.bots.router.accessToken?.reveal()).toBe(canaries.routerToken);
  });

  it("accepts the database URLs the database layer opens, and only those", () => {
    const accepted = [
      "sqlite:db/haven.sqlite",
      "sqlite:/var/lib/haven/haven.sqlite",
      "sqlite::memory:",
      "postgres://haven@db.example.org/haven",
      "postgresql:///haven?host=/run/postgresql",
    ];
    for (const url of accepted) {
      expect(databaseUrlProblem(url), url).toBeUndefined();
      expect(() => resolveDatabaseLocation(url, "/data"), url).not.toThrow();
    }
    for (const url of ["mysql://haven@db/haven", "hunter2", "sqlite:", "sqlite:///haven.sqlite", "file:/x"]) {
      expect(databaseUrlProblem(url), url).toBeDefined();
      expect(() => resolveDatabaseLocation(url, "/data"), url).toThrow();
    }
    const loaded = load(validDocument(), { HAVEN_DATABASE_URL: "sqlite:db/haven.sqlite" });
    expect(loaded.database.url?.reveal()).toBe("sqlite:db/haven.sqlite");
  });

  it("treats an empty section as not given", () => {
    config = writeConfigDir(`${asYamlLines(validDocument())}\ncrypto:\nadmin: ~\n`);
    const loaded = loadConfig({ path: config.configPath, env: baseEnv });
    expect(loaded.crypto).toEqual({});
    expect(loaded.admin.port).toBe(8090);
  });

  it("returns a deeply frozen config", () => {
    const loaded = load(validDocument());
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.isFrozen(loaded.bots.intake)).toBe(true);
    expect(Object.isFrozen(loaded.federation.allowedServers)).toBe(true);
    expect(() => {
      (loaded.admin as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it("never prints a secret when the config is printed", () => {
    const loaded = load(validDocument(), { HAVEN_ADMIN_BOOTSTRAP_TOKEN: canaries.bootstrapToken });
    const printed = [inspect(loaded, { depth: Infinity }), JSON.stringify(loaded), String(loaded.admin.bootstrapToken)];
    for (const text of printed) for (const canary of allCanaries) expect(text).not.toContain(canary);
    expect(JSON.stringify(loaded.bots.intake)).toBe('{"userId":"@intake:hub.example.org","password":"[redacted]"}');
  });

  it("throws a ConfigError for a bad config", () => {
    const document = validDocument();
    document["hub"] = { serverName: "hub.example.org", clientUrl: "ftp://x" };
    expect(() => load(document)).toThrow(new ConfigError('hub.clientUrl: expected an http(s) URL, found "ftp://x"'));
  });

  it("keeps the web chat off by default, and refuses it without the hub admin token its accounts need", () => {
    const loaded = load(validDocument());
    expect(loaded.webchat).toMatchObject({ enabled: false, title: "Chat", port: 8091 });
    expect(() => load({ ...validDocument(), webchat: { enabled: true } })).toThrow(
      new ConfigError(
        "hub.adminToken: expected an admin token: the web chat creates its anonymous accounts through the Synapse admin API",
      ),
    );
    const assets = load({ ...validDocument(), webchat: { assetsDir: "built" } }).webchat.assetsDir;
    expect(assets).toBe(join(config?.dir ?? "", "built"));
  });
});

describe("resolveConfigPath", () => {
  it("prefers the given path, then HAVEN_CONFIG, then config/haven.yaml in the project root", () => {
    expect(resolveConfigPath({ path: "a.yaml", env: { HAVEN_CONFIG: "b.yaml" }, cwd: "/etc/haven" })).toBe(
      "/etc/haven/a.yaml",
    );
    expect(resolveConfigPath({ env: { HAVEN_CONFIG: "b.yaml" }, cwd: "/etc/haven" })).toBe("/etc/haven/b.yaml");
    expect(resolveConfigPath({ env: { HAVEN_CONFIG: "" }, cwd: "/etc/haven" })).toBe(defaultConfigPath);
    expect(defaultConfigPath).toBe(join(projectRoot, "config", "haven.yaml"));
  });
});

/** YAML is a superset of JSON: a document as JSON is valid YAML to append to. */
function asYamlLines(document: Document): string {
  return Object.entries(document)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join("\n");
}
