// docker-compose.yml is checked by reading it: there is no Docker engine on the development machines.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../config/load.ts";
import { projectRoot } from "../../../config/project-root.ts";

interface Service {
  image?: string;
  command?: string | string[];
  ports?: unknown[];
  build?: string | { context?: string; dockerfile?: string };
  restart?: string;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  environment?: Record<string, string> | string[];
  env_file?: unknown;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const read = (path: string): string => readFileSync(join(projectRoot, path), "utf8");
// merge: true so that the YAML merge keys (<<: *synapse-start) apply, as docker compose applies them.
const compose = parse(read("docker-compose.yml"), { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);

/** A variable's value taken from .env by compose: `${NAME}`, `${NAME:?message}` or `${NAME:-default}`. */
const interpolated = /^\$\{([A-Z][A-Z0-9_]*)(:?[?-][^}]*)?\}$/;
const secretName = /PASSWORD|SECRET|TOKEN|KEY/;

function environment(service: Service): Array<[string, string]> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return env.map((entry) => [entry.split("=")[0] ?? "", entry.split("=").slice(1).join("=")]);
  return Object.entries(env).map(([name, value]) => [name, String(value)]);
}

function volumeSources(service: Service): string[] {
  return (service.volumes ?? []).map((volume) =>
    typeof volume === "string" ? (volume.split(":")[0] ?? "") : (volume.source ?? ""),
  );
}

const isBindMount = (source: string): boolean => source.startsWith(".") || source.startsWith("/");

describe("docker-compose.yml", () => {
  // The schema names draft-07 by an https URL Ajv does not know: the meta-schema check is skipped, not the schema.
  const schema = JSON.parse(read("test/fixtures/compose-spec/compose-spec.json")) as Record<string, unknown>;
  const validateCompose = new Ajv({
    allErrors: true,
    strict: false,
    validateSchema: false,
    validateFormats: false,
  }).compile(schema);

  it("is valid against the Compose Specification's JSON schema", () => {
    const valid = validateCompose(compose);
    expect(validateCompose.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("(the schema check fails a compose file with a misspelt key)", () => {
    const misspelt = {
      ...compose,
      services: { ...compose.services, hub: { ...compose.services["hub"], restrat: "always" } },
    };
    expect(validateCompose(misspelt)).toBe(false);
  });

  it("has the hub and a partner Synapse each on its own PostgreSQL, Haven, Element Web and Caddy", () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ["caddy", "element", "haven", "hub", "hub-db", "partner", "partner-db"].sort(),
    );
    for (const synapse of ["hub", "partner"]) {
      expect(compose.services[synapse]?.image).toMatch(/^matrixdotorg\/synapse:v\d+\.\d+\.\d+$/);
      expect(compose.services[`${synapse}-db`]?.image).toMatch(/^postgres:/);
    }
    expect(compose.services["element"]?.image).toMatch(/^vectorim\/element-web:v\d+\.\d+\.\d+$/);
    expect(compose.services["caddy"]?.image).toMatch(/^caddy:\d/);
  });

  it("publishes ports from Caddy only: every homeserver is reached through TLS", () => {
    for (const [name, service] of services) {
      if (name !== "caddy") expect(service.ports, name).toBeUndefined();
    }
    expect(compose.services["caddy"]?.ports).toEqual(["80:80", "443:443"]);
  });

  it.for(["hub", "partner"])("runs the %s Synapse on the shipped hardened config, loaded after its own", (name) => {
    const service = compose.services[name]!;
    expect(service.volumes).toContain(`./config/synapse/${name}.yaml:/config/hardened.yaml:ro`);
    const command = [service.command ?? ""].flat().join(" ");
    const runLine = command.split("&&").at(-1) ?? "";
    expect(runLine).toMatch(
      /--config-path \/config\/homeserver\.yaml --config-path \/config\/hardened\.yaml --no-secrets-in-config$/,
    );
  });

  it("pins the hub to the Synapse version the tests run", () => {
    const pinned = read("scripts/ensure-synapse.sh").match(/^version="([^"]+)"/m)?.[1];
    expect(compose.services["hub"]?.image).toBe(`matrixdotorg/synapse:v${pinned}`);
    expect(compose.services["partner"]?.image).toBe(`matrixdotorg/synapse:v${pinned}`);
  });

  it.for(services)("service %s restarts on its own and has a health check", ([, service]) => {
    expect(["always", "unless-stopped", "on-failure"]).toContain(service.restart);
    expect(service.healthcheck?.disable).not.toBe(true);
    expect(service.healthcheck?.test).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it("keeps all state in declared named volumes, and declares none it does not use", () => {
    const named = services.flatMap(([, service]) => volumeSources(service).filter((source) => !isBindMount(source)));
    expect(named.length).toBeGreaterThan(0);
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual([...new Set(named)].sort());
    expect(volumeSources(compose.services["hub"]!)).toContain("hub-data");
    expect(volumeSources(compose.services["hub-db"]!)).toContain("hub-db");
    expect(volumeSources(compose.services["partner"]!)).toContain("partner-data");
    expect(volumeSources(compose.services["partner-db"]!)).toContain("partner-db");
    expect(volumeSources(compose.services["caddy"]!)).toContain("caddy-data");
    expect(volumeSources(compose.services["haven"]!)).toContain("haven-data");
  });

  it("mounts only files that exist in the repository, read-only", () => {
    for (const [, service] of services) {
      for (const volume of service.volumes ?? []) {
        if (typeof volume !== "string" || !isBindMount(volume)) continue;
        const [source] = volume.split(":");
        expect(existsSync(join(projectRoot, source ?? "")), source).toBe(true);
        expect(volume.endsWith(":ro"), volume).toBe(true);
      }
    }
  });

  it("writes no secret inline: every secret-looking variable comes from .env, and .env.example lists them all, empty", () => {
    const fromEnvFile = new Set<string>();
    for (const [name, service] of services) {
      expect(service.env_file, `${name} env_file`).toBeUndefined();
      for (const [variable, value] of environment(service)) {
        const match = value.match(interpolated);
        if (secretName.test(variable)) expect(match, `${name}.${variable}`).not.toBeNull();
        if (match?.[1]) fromEnvFile.add(match[1]);
      }
    }
    const example: Record<string, string> = Object.fromEntries(
      read(".env.example")
        .split("\n")
        .filter((line) => /^[A-Z]/.test(line))
        .map((line) => [line.split("=")[0] ?? "", line.split("=").slice(1).join("=")]),
    );
    expect(Object.keys(example).sort()).toEqual([...fromEnvFile].sort());
    for (const value of Object.values(example)) expect(value).toBe("");
  });

  it("builds Haven's image from ./Dockerfile", () => {
    const haven = compose.services["haven"]!;
    expect(haven.build).toEqual({ context: ".", dockerfile: "Dockerfile" });
    expect(existsSync(join(projectRoot, "Dockerfile"))).toBe(true);
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  const instructions = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((line) => /^[A-Z]+\s/.test(line));

  it("builds on Node 24 slim in stages and installs production dependencies only", () => {
    const froms = instructions.filter((line) => line.startsWith("FROM "));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    // Every stage starts from Node 24 slim, directly or through an earlier stage.
    for (const from of froms) expect(from).toMatch(/^FROM (node:24[-.\w]*slim|dependencies )/);
    expect(dockerfile).toContain("npm ci --omit=dev");
  });

  it("runs Haven's sources directly as a non-root user", () => {
    const user = instructions.filter((line) => line.startsWith("USER ")).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)\b/);
    expect(instructions.at(-1)).toBe('CMD ["start"]');
    expect(instructions).toContain('ENTRYPOINT ["node", "bin/haven.ts"]');
    for (const folder of ["bin", "core", "bots", "config"])
      expect(instructions).toContain(`COPY ${folder} ./${folder}`);
  });

  it("copies every source folder the Haven process imports, and the built web chat", () => {
    const imported = new Set<string>();
    for (const file of ["bin/haven-process.ts", "bin/webchat-erasure.ts"]) {
      for (const [, path] of read(file).matchAll(/from "\.\.\/([a-z-]+(?:\/[a-z-]+)?)\//g)) {
        imported.add(path!.startsWith("webchat/") ? path! : path!.split("/")[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    for (const folder of imported) expect(instructions).toContain(`COPY ${folder} ./${folder}`);
    expect(instructions).toContain("COPY webchat/shared ./webchat/shared");
    expect(instructions).toContain("RUN npm run build:webchat");
    expect(instructions).toContain("COPY --from=webchat /app/webchat/dist ./webchat/dist");
  });
});

describe("the configs docker-compose.yml mounts", () => {
  it("Haven's is a valid config once .env's variables are set, and holds no secret itself", () => {
    const env = {
      HAVEN_INTAKE_PASSWORD: "intake-password",
      HAVEN_ROUTER_PASSWORD: "router-password",
      HAVEN_CRYPTO_STORAGE_KEY: Buffer.alloc(32, 7).toString("base64"),
      HAVEN_DATA_DIR: "/var/lib/haven",
    };
    const config = loadConfig({ path: join(projectRoot, "config/compose/haven.yaml"), env });
    expect(config.hub.clientUrl).toBe("http://hub:8008");
    expect(config.dataDir).toBe("/var/lib/haven");
    expect(config.bots.intake.password?.reveal()).toBe("intake-password");
    expect(config.crypto.storageKey).toBeDefined();
  });

  const homeserver = (name: string) => parse(read(`config/compose/${name}-homeserver.yaml`)) as Record<string, unknown>;
  const hardened = (name: string) => parse(read(`config/synapse/${name}.yaml`)) as Record<string, unknown>;
  const haven = parse(read("config/compose/haven.yaml")) as {
    hub: { serverName: string };
    federation: { allowedServers: string[] };
  };

  it.for(["hub", "partner"])("the %s's holds no secret (Synapse runs with --no-secrets-in-config)", (name) => {
    const config = homeserver(name);
    for (const inline of ["registration_shared_secret", "macaroon_secret_key", "form_secret", "signing_key"]) {
      expect(config).not.toHaveProperty(inline);
    }
    expect((config["database"] as { args: Record<string, unknown> }).args).not.toHaveProperty("password");
    expect((config["database"] as { args: Record<string, unknown> }).args["host"]).toBe(`${name}-db`);
  });

  it("names the same servers everywhere: Haven, the homeservers, the federation allowlists, Caddy and Element", () => {
    const hubName = String(homeserver("hub")["server_name"]);
    const partnerName = String(homeserver("partner")["server_name"]);
    expect(haven.hub.serverName).toBe(hubName);
    expect(haven.federation.allowedServers).toEqual([partnerName]);
    expect(hardened("hub")["federation_domain_whitelist"]).toContain(partnerName);
    expect(hardened("partner")["federation_domain_whitelist"]).toEqual([hubName]);
    const caddyfile = read("config/compose/Caddyfile");
    expect(caddyfile).toContain(`${hubName} {\n\timport matrix_homeserver ${hubName} hub\n}`);
    expect(caddyfile).toContain(`${partnerName} {\n\timport matrix_homeserver ${partnerName} partner\n}`);
    const element = JSON.parse(read("config/compose/element-config.json")) as {
      default_server_config: { "m.homeserver": { base_url: string; server_name: string } };
    };
    expect(element.default_server_config["m.homeserver"]).toEqual({
      base_url: `https://${hubName}`,
      server_name: hubName,
    });
  });

  it("Caddy forwards the client and federation APIs but never Synapse's admin API", () => {
    const caddyfile = read("config/compose/Caddyfile");
    const forwarded = [...caddyfile.matchAll(/reverse_proxy (\S+)/g)].map((match) => match[1]);
    expect(forwarded).toEqual(["/_matrix/*", "/_synapse/client/*", "element:8080"]);
  });
});
