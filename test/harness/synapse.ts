import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync, openSync, closeSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { newSigningKeyFile, synapseConfig, synapseLogConfig } from "./synapse-config.ts";

const projectRoot = resolve(import.meta.dirname, "../..");

export interface RegisteredUser {
  userId: string;
  localpart: string;
  password: string;
  accessToken: string;
  deviceId: string;
}

export interface Homeserver {
  readonly name: string;
  readonly serverName: string;
  readonly clientUrl: string;
  readonly federationPort: number;
  readonly dir: string;
  readonly registrationSharedSecret: string;
  registerUser(localpart?: string, opts?: { admin?: boolean; password?: string }): Promise<RegisteredUser>;
  /** Stops the server process, keeping its data, so that `start()` brings the same server back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  kill(): void;
  readonly running: boolean;
}

export interface Federation {
  readonly servers: readonly Homeserver[];
  server(name: string): Homeserver;
  stop(): Promise<void>;
}

export interface FederationOptions {
  names?: readonly string[];
  retention?: { defaultMaxLifetime?: string; purgeInterval: string };
}

const livePids = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const pid of livePids) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export function synapsePython(): string {
  const fromEnv = process.env["HAVEN_SYNAPSE_PYTHON"];
  if (fromEnv) return fromEnv;
  const output = execFileSync("bash", [join(projectRoot, "scripts/ensure-synapse.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return output.trim().split("\n").at(-1) ?? "";
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") return reject(new Error("no port"));
      server.close(() => resolvePort(address.port));
    });
  });
}

async function selfSignedCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, "tls.crt");
  const key = join(dir, "tls.key");
  await promisify(execFile)("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  return { cert, key };
}

async function waitUntilHealthy(clientUrl: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  const exit: { code: number | null } = { code: null };
  child.once("exit", (code) => {
    exit.code = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exit.code !== null) {
      const exited = exit.code;
      const log = await readFile(logFile, "utf8").catch(() => "");
      throw new Error(`synapse exited with ${exited} during start-up:\n${log.split("\n").slice(-30).join("\n")}`);
    }
    try {
      const response = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`synapse at ${clientUrl} not healthy within 60 s; log: ${logFile}`);
}

class LocalHomeserver implements Homeserver {
  readonly name: string;
  readonly serverName: string;
  readonly clientUrl: string;
  readonly federationPort: number;
  readonly dir: string;
  readonly registrationSharedSecret: string;
  private readonly python: string;
  private child: ChildProcess | undefined;
  private counter = 0;

  constructor(init: {
    name: string;
    serverName: string;
    clientPort: number;
    federationPort: number;
    dir: string;
    secret: string;
    python: string;
  }) {
    this.name = init.name;
    this.serverName = init.serverName;
    this.clientUrl = `http://127.0.0.1:${init.clientPort}`;
    this.federationPort = init.federationPort;
    this.dir = init.dir;
    this.registrationSharedSecret = init.secret;
    this.python = init.python;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const logFile = join(this.dir, "homeserver.log");
    const out = openSync(join(this.dir, "stdio.log"), "a");
    const child = spawn(this.python, ["-m", "synapse.app.homeserver", "-c", join(this.dir, "homeserver.yaml")], {
      cwd: this.dir,
      detached: true,
      stdio: ["ignore", out, out],
    });
    closeSync(out);
    this.child = child;
    if (child.pid !== undefined) livePids.add(child.pid);
    child.once("exit", () => {
      if (child.pid !== undefined) livePids.delete(child.pid);
    });
    await waitUntilHealthy(this.clientUrl, child, existsSync(logFile) ? logFile : join(this.dir, "stdio.log"));
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => this.kill(), 10_000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    const pid = this.child?.pid;
    if (pid === undefined || !this.running) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }

  async registerUser(localpart?: string, opts: { admin?: boolean; password?: string } = {}): Promise<RegisteredUser> {
    const name = localpart ?? `user${++this.counter}-${randomBytes(3).toString("hex")}`;
    const password = opts.password ?? randomBytes(12).toString("base64url");
    const admin = opts.admin ?? false;
    const url = `${this.clientUrl}/_synapse/admin/v1/register`;
    const nonceResponse = await fetch(url);
    const { nonce } = (await nonceResponse.json()) as { nonce: string };
    const mac = createHmac("sha1", this.registrationSharedSecret)
      .update(`${nonce}\0${name}\0${password}\0${admin ? "admin" : "notadmin"}`)
      .digest("hex");
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ nonce, username: name, password, admin, mac }),
    });
    if (!response.ok) throw new Error(`register ${name} on ${this.name}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { user_id: string; access_token: string; device_id: string };
    return {
      userId: body.user_id,
      localpart: name,
      password,
      accessToken: body.access_token,
      deviceId: body.device_id,
    };
  }
}

/**
 * Starts real Synapse homeservers (hub + two partners by default) on free loopback ports in a temp dir,
 * federating with each other over TLS and with no one else.
 */
export async function startFederation(options: FederationOptions = {}): Promise<Federation> {
  installExitHook();
  const names = options.names ?? ["hub", "partner-a", "partner-b"];
  const python = synapsePython();
  const root = await mkdtemp(join(tmpdir(), "haven-synapse-"));
  const tls = await selfSignedCertificate(root);
  const ports: Array<{ client: number; federation: number }> = [];
  for (const _ of names) ports.push({ client: await freePort(), federation: await freePort() });
  const serverNames = ports.map((p) => `localhost:${p.federation}`);
  const servers = await Promise.all(
    names.map(async (name, i) => {
      const port = ports[i]!;
      const dir = join(root, name);
      await mkdir(join(dir, "media_store"), { recursive: true });
      const secret = randomBytes(24).toString("hex");
      const config = synapseConfig({
        serverName: serverNames[i]!,
        dir,
        clientPort: port.client,
        federationPort: port.federation,
        tlsCertificatePath: tls.cert,
        tlsPrivateKeyPath: tls.key,
        registrationSharedSecret: secret,
        federationAllowlist: serverNames,
        ...(options.retention ? { retention: options.retention } : {}),
      });
      await writeFile(join(dir, "homeserver.yaml"), stringify(config));
      await writeFile(join(dir, "log.config"), synapseLogConfig(join(dir, "homeserver.log")));
      await writeFile(join(dir, "signing.key"), newSigningKeyFile());
      return new LocalHomeserver({
        name,
        serverName: serverNames[i]!,
        clientPort: port.client,
        federationPort: port.federation,
        dir,
        secret,
        python,
      });
    }),
  );
  const federation: Federation = {
    servers,
    server(name) {
      const found = servers.find((s) => s.name === name);
      if (!found) throw new Error(`no homeserver named ${name}`);
      return found;
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      if (!process.env["HAVEN_KEEP_TEST_DIRS"]) await rm(root, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(servers.map((s) => s.start()));
  } catch (error) {
    await federation.stop();
    throw error;
  }
  return federation;
}
