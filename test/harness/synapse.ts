import { randomBytes } from "node:crypto";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { newSigningKeyFile, synapseConfig, synapseLogConfig } from "../../bin/local-synapse/config.ts";
import { startSynapseProcess, type SynapseProcess } from "../../bin/local-synapse/process.ts";
import { synapsePython } from "../../bin/local-synapse/python.ts";
import { freePort } from "../../bin/local-synapse/free-port.ts";
import { registerWithSharedSecret } from "../../bin/local-synapse/register.ts";
import { selfSignedCertificate } from "../../bin/local-synapse/tls.ts";

export { freePort, synapsePython };

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

class LocalHomeserver implements Homeserver {
  readonly name: string;
  readonly serverName: string;
  readonly clientUrl: string;
  readonly federationPort: number;
  readonly dir: string;
  readonly registrationSharedSecret: string;
  private readonly python: string;
  private synapse: SynapseProcess | undefined;
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
    return this.synapse?.running ?? false;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.synapse = await startSynapseProcess({
      python: this.python,
      dir: this.dir,
      clientUrl: this.clientUrl,
      onSpawn: (pid) => livePids.add(pid),
    });
    const { pid, exited } = this.synapse;
    void exited.then(() => livePids.delete(pid));
  }

  async stop(): Promise<void> {
    await this.synapse?.stop();
  }

  kill(): void {
    this.synapse?.kill();
  }

  async registerUser(localpart?: string, opts: { admin?: boolean; password?: string } = {}): Promise<RegisteredUser> {
    const name = localpart ?? `user${++this.counter}-${randomBytes(3).toString("hex")}`;
    const password = opts.password ?? randomBytes(12).toString("base64url");
    const admin = opts.admin ?? false;
    const account = await registerWithSharedSecret(this.clientUrl, this.registrationSharedSecret, {
      username: name,
      password,
      admin,
    }).catch((error: unknown) => {
      throw new Error(`on ${this.name}: ${error instanceof Error ? error.message : String(error)}`);
    });
    return {
      userId: account.userId,
      localpart: name,
      password,
      accessToken: account.accessToken,
      deviceId: account.deviceId,
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
  const tls = await selfSignedCertificate(root, 2);
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
