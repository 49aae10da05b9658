// Every Synapse config Haven ships, loaded by the pinned Synapse itself: docker-compose's hub and partner configs
// with the hardened settings laid over them, as compose runs them. There is no Docker engine here, so the paths
// inside the containers are pointed at a temporary directory by a third config file, loaded last.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { newSigningKeyFile, synapseLogConfig } from "../../bin/local-synapse/config.ts";
import { hardenedConfigPath } from "../../bin/local-synapse/hardened.ts";
import { projectRoot } from "../../config/project-root.ts";
import { synapsePython } from "../harness/synapse.ts";

const python = synapsePython();

/** The text of Synapse's config modules: every key Synapse reads is named there in quotes. */
function synapseConfigSources(): string {
  const packageDir = execFileSync(python, ["-c", "import synapse, os; print(os.path.dirname(synapse.__file__))"], {
    encoding: "utf8",
  }).trim();
  const dir = join(packageDir, "config");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".py"))
    .map((file) => readFileSync(join(dir, file), "utf8"))
    .join("\n");
}

/** Every mapping key in `value`, with its path; database.args go to the driver, not Synapse, and are left out. */
function keysOf(value: unknown, path: string[] = []): Array<{ key: string; path: string }> {
  if (Array.isArray(value)) return value.flatMap((item, i) => keysOf(item, [...path, String(i)]));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => [
    { key, path: [...path, key].join(".") },
    ...(path.join(".") === "database" && key === "args" ? [] : keysOf(child, [...path, key])),
  ]);
}

describe.for(["hub", "partner"])("docker-compose's %s Synapse config with the hardened settings", (role) => {
  let dir: string;
  const files = [join(projectRoot, `config/compose/${role}-homeserver.yaml`), hardenedConfigPath(role as "hub")];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "haven-synapse-config-"));
    await mkdir(join(dir, "media_store"));
    await writeFile(join(dir, "signing.key"), newSigningKeyFile());
    await writeFile(join(dir, "registration_shared_secret"), "not-a-real-secret\n");
    await writeFile(join(dir, "log.config"), synapseLogConfig(join(dir, "homeserver.log")));
    await writeFile(
      join(dir, "paths.yaml"),
      stringify({
        pid_file: join(dir, "homeserver.pid"),
        log_config: join(dir, "log.config"),
        media_store_path: join(dir, "media_store"),
        signing_key_path: join(dir, "signing.key"),
        registration_shared_secret_path: join(dir, "registration_shared_secret"),
      }),
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is accepted by Synapse's own config loader, refusing secrets written in it as compose does", () => {
    const args = ["-m", "synapse.config", "read", "server.server_name", "--no-secrets-in-config"];
    for (const file of [...files, join(dir, "paths.yaml")]) args.push("--config-path", file);
    const output = execFileSync(python, args, { encoding: "utf8", cwd: dirname(files[0]!) });
    expect(output).toContain("Config parses OK!");
    expect(output).toContain(String((parse(readFileSync(files[0]!, "utf8")) as { server_name: string }).server_name));
  });

  it("uses only keys Synapse reads (a misspelt key would be silently ignored)", () => {
    const sources = synapseConfigSources();
    const unknown = files
      .flatMap((file) => keysOf(parse(readFileSync(file, "utf8"))))
      .filter(({ key }) => !sources.includes(`"${key}"`) && !sources.includes(`'${key}'`))
      .map(({ path }) => path);
    expect(unknown).toEqual([]);
    expect(sources.includes('"retention_enabeld"')).toBe(false);
  });
});

describe("docker-compose's Synapse log config (config/compose/synapse-log.config)", () => {
  it("is loaded by Synapse's own logging set-up: lines reach the console in its format, SQL chatter is held back", () => {
    // Synapse's start-up, without the homeserver: the record factory that fills %(request)s, then the file.
    const script = [
      "import logging, sys",
      "from synapse.config.logger import one_time_logging_setup, _load_logging_config",
      "one_time_logging_setup()",
      "_load_logging_config(sys.argv[1])",
      "logging.getLogger('synapse.haven_check').info('log config works')",
      "logging.getLogger('synapse.storage.SQL').info('SQL chatter')",
    ].join("\n");
    const result = spawnSync(python, ["-c", script, join(projectRoot, "config/compose/synapse-log.config")], {
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).not.toContain("Logging error");
    expect(output).toMatch(/ - synapse\.haven_check - \d+ - INFO - sentinel - log config works$/m);
    expect(output).not.toContain("SQL chatter");
  });
});
