import { spawnSync } from "node:child_process";
import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
  readdirSync,
  mkdirSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  acquireDevLock,
  DevError,
  ensurePortFree,
  prepareDevHub,
  readDevHubSettings,
  runningDevPid,
  stopLeftoverHub,
  wipeDev,
} from "../../../bin/dev/hub.ts";
import { devLayout, type DevLayout } from "../../../bin/dev/layout.ts";

const mode = (path: string): number => statSync(path).mode & 0o777;
const read = (path: string): string => readFileSync(path, "utf8");

/** A PID that belonged to a process which has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("the dev hub's directory", { timeout: 20_000 }, () => {
  let dataDir: string;
  let layout: DevLayout;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "haven-dev-hub-"));
    layout = devLayout(dataDir);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("is created on the first run with the default ports, server name localhost:8448 and owner-only secrets", async () => {
    const { settings, created } = await prepareDevHub(layout, {});
    expect(created).toBe(true);
    expect(settings).toEqual({ serverName: "localhost:8448", clientPort: 8008, federationPort: 8448 });
    expect(await readDevHubSettings(layout)).toEqual(settings);

    const config = parse(read(join(layout.hubDir, "homeserver.yaml"))) as Record<string, unknown>;
    expect(config["server_name"]).toBe("localhost:8448");
    expect(config["registration_shared_secret"]).toBe(read(layout.sharedSecretFile).trim());
    expect(config["federation_domain_whitelist"]).toEqual(["localhost:8448"]);
    expect(config["database"]).toEqual({ name: "sqlite3", args: { database: join(layout.hubDir, "homeserver.db") } });
    const listeners = config["listeners"] as Array<{ port: number; bind_addresses: string[]; tls: boolean }>;
    expect(listeners.map((l) => [l.port, l.bind_addresses, l.tls])).toEqual([
      [8008, ["127.0.0.1"], false],
      [8448, ["127.0.0.1"], true],
    ]);

    for (const file of ["homeserver.yaml", "signing.key", "tls.key"])
      expect(mode(join(layout.hubDir, file))).toBe(0o600);
    expect(mode(layout.sharedSecretFile)).toBe(0o600);
    expect(mode(layout.hubDir)).toBe(0o700);
    expect(mode(layout.secretsDir)).toBe(0o700);
  });

  it("keeps its keys, certificate, secret and settings on later runs and rewrites only the config", async () => {
    const first = await prepareDevHub(layout, { clientPort: 18008, federationPort: 18448 });
    expect(first.settings).toEqual({ serverName: "localhost:18448", clientPort: 18008, federationPort: 18448 });
    const kept = ["signing.key", "tls.crt", "tls.key"].map((file) => read(join(layout.hubDir, file)));
    const secret = read(layout.sharedSecretFile);
    writeFileSync(join(layout.hubDir, "homeserver.yaml"), "edited: true\n");

    const second = await prepareDevHub(layout, {});
    expect(second).toEqual({ settings: first.settings, created: false });
    expect(["signing.key", "tls.crt", "tls.key"].map((file) => read(join(layout.hubDir, file)))).toEqual(kept);
    expect(read(layout.sharedSecretFile)).toBe(secret);
    expect(read(join(layout.hubDir, "homeserver.yaml"))).toContain("server_name: localhost:18448");
  });

  it("refuses other ports on a later run (server name and bot logins depend on them) and names --fresh", async () => {
    await prepareDevHub(layout, {});
    await expect(prepareDevHub(layout, { federationPort: 9448 })).rejects.toThrow(DevError);
    await expect(prepareDevHub(layout, { federationPort: 9448 })).rejects.toThrow(
      "the dev hub localhost:8448 was created with --federation-port 8448",
    );
    await expect(prepareDevHub(layout, { clientPort: 9008 })).rejects.toThrow("--fresh to start over on 9008");
    await expect(prepareDevHub(layout, { clientPort: 8008, federationPort: 8448 })).resolves.toMatchObject({
      created: false,
    });
  });

  it("is emptied by --fresh, all but the lock of the run doing it", async () => {
    await prepareDevHub(layout, {});
    const release = await acquireDevLock(layout);
    await wipeDev(layout);
    expect(readdirSync(layout.root)).toEqual(["dev.lock"]);
    await release();
    expect(existsSync(layout.lockFile)).toBe(false);
  });
});

describe("the dev lock", () => {
  let dataDir: string;
  let layout: DevLayout;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "haven-dev-lock-"));
    layout = devLayout(dataDir);
    mkdirSync(layout.root, { recursive: true });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("refuses a second haven dev on the same data directory while the first runs", async () => {
    writeFileSync(layout.lockFile, `${process.ppid}\n`);
    expect(await runningDevPid(layout)).toBe(process.ppid);
    await expect(acquireDevLock(layout)).rejects.toThrow(`another haven dev (pid ${process.ppid}) is running`);
  });

  it("takes over the lock of one that died", async () => {
    writeFileSync(layout.lockFile, `${deadPid()}\n`);
    expect(await runningDevPid(layout)).toBeUndefined();
    const release = await acquireDevLock(layout);
    expect(read(layout.lockFile)).toBe(`${process.pid}\n`);
    expect(await runningDevPid(layout)).toBe(process.pid);
    await release();
    expect(existsSync(layout.lockFile)).toBe(false);
  });
});

describe("a hub Synapse left behind", () => {
  let dataDir: string;
  let layout: DevLayout;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "haven-dev-leftover-"));
    layout = devLayout(dataDir);
    mkdirSync(layout.hubDir, { recursive: true });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("is forgotten when its process is gone", async () => {
    writeFileSync(layout.hubPidFile, `${deadPid()}\n`);
    expect(await stopLeftoverHub(layout)).toBeUndefined();
    expect(existsSync(layout.hubPidFile)).toBe(false);
  });

  it("is not stopped when the PID now names a process that is not this hub's Synapse", async () => {
    writeFileSync(layout.hubPidFile, `${process.pid}\n`);
    expect(await stopLeftoverHub(layout)).toBeUndefined();
    expect(existsSync(layout.hubPidFile)).toBe(false);
  });
});

describe("the dev hub's ports", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it("are checked before Synapse starts: one in use is named with the flag that moves it", async () => {
    const listening = createServer();
    server = listening;
    const port = await new Promise<number>((resolve) =>
      listening.listen(0, "127.0.0.1", () => resolve((listening.address() as { port: number }).port)),
    );
    await expect(ensurePortFree(port, "--client-port")).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
    await expect(ensurePortFree(port, "--client-port")).rejects.toThrow("--fresh --client-port <port>");
    await new Promise((resolve) => listening.close(resolve));
    server = undefined;
    await expect(ensurePortFree(port, "--client-port")).resolves.toBeUndefined();
  });
});
