import { join } from "node:path";
import { describe, it } from "vitest";
import {
  allCanaries,
  baseEnv,
  canaries,
  hub,
  intake,
  router,
  validDocument,
  writeConfigDir,
  type Document,
} from "./fixtures.ts";
import { runHaven } from "./run-haven.ts";

interface BadConfig {
  readonly name: string;
  /** Changes the valid document, or replaces it with raw YAML text. */
  readonly document: (document: Document) => Document | string;
  /** The one line expected on stderr; `<dir>` stands for the config's directory. */
  readonly stderr: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly files?: Readonly<Record<string, string>>;
}

const with_ = (change: (document: Document) => void) => (document: Document) => {
  change(document);
  return document;
};

const badConfigs: readonly BadConfig[] = [
  {
    name: "missing key",
    document: with_((d) => (d["hub"] = { serverName: hub.serverName })),
    stderr: "config: hub.clientUrl: missing (expected an http(s) URL)",
  },
  {
    name: "missing section",
    document: with_((d) => delete d["retention"]),
    stderr: "config: retention: missing (expected a mapping)",
  },
  {
    name: "wrong type",
    document: with_((d) => (d["admin"] = { port: "eighty" })),
    stderr: 'config: admin.port: expected an integer from 1 to 65535, found "eighty"',
  },
  {
    name: "wrong type of section",
    document: with_((d) => (d["federation"] = { allowedServers: "ngo-a.example.org" })),
    stderr: 'config: federation.allowedServers: expected a list, found "ngo-a.example.org"',
  },
  {
    name: "unknown key",
    document: with_((d) => (d["bots"] = { intake: { ...intake, passwrd: 1 }, router })),
    stderr: 'config: bots.intake: unknown key "passwrd"',
  },
  {
    name: "unknown top-level key",
    document: with_((d) => (d["loggin"] = { level: "debug" })),
    stderr: 'config: unknown key "loggin"',
  },
  {
    name: "bad URL",
    document: with_((d) => (d["hub"] = { ...hub, clientUrl: "ftp://x" })),
    stderr: 'config: hub.clientUrl: expected an http(s) URL, found "ftp://x"',
  },
  {
    name: "unreadable secret file",
    document: with_((d) => (d["database"] = { url: { file: "/nonexistent/haven-database-url" } })),
    stderr: "config: database.url.file: cannot read /nonexistent/haven-database-url (ENOENT)",
  },
  {
    name: "secret file that is empty, named relative to the config file",
    document: with_((d) => (d["admin"] = { bootstrapToken: { file: "empty.token" } })),
    files: { "empty.token": "\n" },
    stderr: "config: admin.bootstrapToken.file: <dir>/empty.token is empty",
  },
  {
    name: "literal secret in YAML",
    document: with_(
      (d) => (d["bots"] = { router, intake: { userId: "@intake:hub.example.org", password: canaries.literal } }),
    ),
    stderr:
      "config: bots.intake.password: expected { file: <path> } or { env: <VAR> }, found a literal string (secrets are never written in the config file)",
  },
  {
    name: "secret from an unset environment variable",
    document: with_((d) => (d["hub"] = { ...hub, adminToken: { env: "TEST_UNSET_ADMIN_TOKEN" } })),
    stderr: "config: hub.adminToken.env: environment variable TEST_UNSET_ADMIN_TOKEN is not set",
  },
  {
    name: "bad duration",
    document: with_((d) => (d["retention"] = { defaultMaxLifetime: "30 days" })),
    stderr:
      'config: retention.defaultMaxLifetime: expected a duration like "30d", "12h", "15m" or "90s", found "30 days"',
  },
  {
    name: "duration out of range",
    document: with_((d) => (d["retention"] = { defaultMaxLifetime: "30s" })),
    stderr: 'config: retention.defaultMaxLifetime: expected a duration from 1m to 365d, found "30s"',
  },
  {
    name: "bad MXID",
    document: with_(
      (d) =>
        (d["bots"] = {
          intake,
          router: { userId: "router@hub.example.org", password: { env: "TEST_INTAKE_PASSWORD" } },
        }),
    ),
    stderr:
      'config: bots.router.userId: expected a Matrix user ID like @intake:hub.example.org, found "router@hub.example.org"',
  },
  {
    name: "bot on another server than the hub",
    document: with_(
      (d) =>
        (d["bots"] = {
          intake,
          router: { userId: "@router:elsewhere.org", password: { env: "TEST_INTAKE_PASSWORD" } },
        }),
    ),
    stderr:
      'config: bots.router.userId: expected a user on the hub server hub.example.org, found "@router:elsewhere.org"',
  },
  {
    name: "bot without password or access token",
    document: with_((d) => (d["bots"] = { intake, router: { userId: "@router:hub.example.org" } })),
    stderr: "config: bots.router: expected password or accessToken (at least one), found neither",
  },
  {
    name: "bad postgres URL scheme (environment)",
    document: (d) => d,
    env: { HAVEN_DATABASE_URL: `mysql://haven:${canaries.databasePassword}@db.example.org/haven` },
    stderr:
      "config: database.url (from HAVEN_DATABASE_URL): expected a postgres://, postgresql:// or sqlite:<path> URL, found mysql://",
  },
  {
    name: "database URL without a scheme (file)",
    document: with_((d) => (d["database"] = { url: { file: "database.url" } })),
    files: { "database.url": canaries.databaseUrlWithoutScheme },
    stderr:
      "config: database.url: expected a postgres://, postgresql:// or sqlite:<path> URL, found a value without a URL scheme",
  },
  {
    name: "storage key of the wrong size (environment)",
    document: (d) => d,
    env: { HAVEN_CRYPTO_STORAGE_KEY: canaries.shortStorageKey },
    stderr:
      "config: crypto.storageKey (from HAVEN_CRYPTO_STORAGE_KEY): expected base64 of exactly 32 bytes, found 24 bytes",
  },
  {
    name: "bad log level (environment)",
    document: (d) => d,
    env: { HAVEN_LOG_LEVEL: "loud" },
    stderr:
      'config: log.level (from HAVEN_LOG_LEVEL): expected one of fatal, error, warn, info, debug, trace, found "loud"',
  },
  {
    name: "bad port (environment)",
    document: (d) => d,
    env: { HAVEN_ADMIN_PORT: "65536", HAVEN_ADMIN_BOOTSTRAP_TOKEN: canaries.bootstrapToken },
    stderr: "config: admin.port (from HAVEN_ADMIN_PORT): expected an integer from 1 to 65535, found 65536",
  },
  {
    name: "YAML syntax error",
    document: () => `hub:\n  serverName: hub.example.org\n  clientUrl: "https://hub.example.org\nbots: {}\n`,
    stderr: 'config: <dir>/haven.yaml line 5, column 1: invalid YAML: Missing closing "quote',
  },
  {
    name: "YAML duplicate key",
    document: () => `hub: {}\nhub: {}\n`,
    stderr: "config: <dir>/haven.yaml line 2, column 1: invalid YAML: Map keys must be unique",
  },
  {
    name: "several problems: the first is named, the rest counted",
    document: with_((d) => {
      delete d["hub"];
      delete d["retention"];
    }),
    stderr: "config: hub: missing (expected a mapping) (and 1 more)",
  },
];

// Each case starts a Node process (~0.5 s of CPU); on a small, busy machine several in parallel take a while.
const timeout = 30_000;

describe("haven check-config with a bad config", { timeout }, () => {
  it.concurrent.for(badConfigs)("$name", async (bad, { expect }) => {
    const config = writeConfigDir(bad.document(validDocument()), bad.files);
    try {
      const run = await runHaven(["check-config"], { ...baseEnv, ...bad.env, HAVEN_CONFIG: config.configPath });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(`${bad.stderr.replaceAll("<dir>", config.dir)}\n`);
      for (const canary of allCanaries) expect(run.stdout + run.stderr).not.toContain(canary);
    } finally {
      config.remove();
    }
  });
});

describe("haven check-config", { timeout }, () => {
  it("accepts a valid config and names it, printing no secret", async ({ expect }) => {
    const config = writeConfigDir(validDocument());
    try {
      const run = await runHaven(["check-config"], {
        ...baseEnv,
        HAVEN_CONFIG: config.configPath,
        HAVEN_ADMIN_BOOTSTRAP_TOKEN: canaries.bootstrapToken,
      });
      expect(run).toEqual({ code: 0, stdout: `config ok: ${config.configPath}\n`, stderr: "" });
    } finally {
      config.remove();
    }
  });

  it("resolves a relative HAVEN_CONFIG against the working directory", async ({ expect }) => {
    const config = writeConfigDir(validDocument());
    try {
      const run = await runHaven(["check-config"], { ...baseEnv, HAVEN_CONFIG: "haven.yaml" }, config.dir);
      expect(run).toEqual({ code: 0, stdout: `config ok: ${join(config.dir, "haven.yaml")}\n`, stderr: "" });
    } finally {
      config.remove();
    }
  });

  it("reports a missing config file in one line", async ({ expect }) => {
    const run = await runHaven(["check-config"], { HAVEN_CONFIG: "/nonexistent/haven.yaml" });
    expect(run).toEqual({ code: 2, stdout: "", stderr: "config: cannot read /nonexistent/haven.yaml (ENOENT)\n" });
  });

  it("refuses an unknown command and stray arguments with the usage exit code", async ({ expect }) => {
    expect(await runHaven(["frobnicate"], {})).toEqual({
      code: 64,
      stdout: "",
      stderr:
        'haven: unknown command "frobnicate" (commands: start, dev, demo, check-config, describe-config, migrate, org, directory, cases, create-token)\n',
    });
    expect(await runHaven(["check-config", "extra"], {})).toEqual({
      code: 64,
      stdout: "",
      stderr: 'haven: check-config: unexpected argument "extra"\n',
    });
  });
});
